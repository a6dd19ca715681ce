import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { parseRoute } from './app/route';
import { Progress } from './components/status-message';
import './styles.css';

/*
 * One chunk per page: a candidate's first load carries neither the dashboard nor the
 * interviewer's charts, and the report does not load LiveKit.
 */
const CandidatePage = lazy(() =>
  import('./pages/candidate-page').then((m) => ({ default: m.CandidatePage })),
);
const InterviewerPage = lazy(() =>
  import('./pages/interviewer-page').then((m) => ({ default: m.InterviewerPage })),
);
const ReportPage = lazy(() =>
  import('./pages/report-page').then((m) => ({ default: m.ReportPage })),
);
const DashboardReportPage = lazy(() =>
  import('./pages/report-page').then((m) => ({ default: m.DashboardReportPage })),
);
const DashboardPage = lazy(() =>
  import('./pages/dashboard-page').then((m) => ({ default: m.DashboardPage })),
);

function Page() {
  const route = parseRoute(window.location.pathname);
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'candidate':
      return <CandidatePage token={route.token} />;
    case 'interviewer':
      return <InterviewerPage token={route.token} />;
    case 'report':
      return <ReportPage token={route.token} />;
    case 'dashboard-report':
      return <DashboardReportPage id={route.id} />;
    case 'not-found':
      return (
        <main className="page narrow">
          <h1>Page not found</h1>
          <p>Check that you opened the whole link you were sent.</p>
        </main>
      );
  }
}

function App() {
  return (
    <Suspense
      fallback={
        <main className="page narrow">
          <Progress label="Loading the page…" value={null} max={null} />
        </main>
      }
    >
      <Page />
    </Suspense>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
