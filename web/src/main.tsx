import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseRoute } from './app/route';
import { CandidatePage } from './pages/candidate-page';
import { DashboardPage } from './pages/dashboard-page';
import { InterviewerPage } from './pages/interviewer-page';
import { ReportPage } from './pages/report-page';
import './styles.css';

function App() {
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
    case 'not-found':
      return (
        <main className="page narrow">
          <h1>Page not found</h1>
          <p>Check that you opened the whole link you were sent.</p>
        </main>
      );
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
