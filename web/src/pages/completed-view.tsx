/** Shown to both sides once the interview is completed. */
export function CompletedView({ reportHref }: { reportHref?: string }) {
  return (
    <main className="page narrow">
      <h1>Interview completed</h1>
      <p>The interview has ended and the room is closed. Thank you.</p>
      {reportHref && (
        <p>
          <a href={reportHref}>Open the report</a>
        </p>
      )}
    </main>
  );
}
