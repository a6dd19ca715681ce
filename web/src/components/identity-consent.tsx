/**
 * The identity check's explanation and consent, on the candidate's pre-join screen when the
 * interview asks for it. Plain words: what is compared, where, what is sent, what is never kept.
 * Joining is disabled until the box is ticked (the page passes `agreed` to the join request).
 */
export function IdentityConsent({
  agreed,
  onChange,
}: {
  agreed: boolean;
  onChange: (agreed: boolean) => void;
}) {
  return (
    <section className="panel notice" aria-labelledby="identity-heading">
      <h2 id="identity-heading">Identity check</h2>
      <p>
        This interview checks that the person answering stays the person who started. When you join,
        your browser makes a numeric summary of your face <strong>on this device</strong> and, every
        few seconds, compares the face in front of the camera with it.
      </p>
      <ul>
        <li>
          Only the result of each comparison (a single number between 0 and 1) is sent. The face
          summary itself never leaves this device, is never stored, and is deleted when you leave
          the page.
        </li>
        <li>
          If someone else seems to be answering for a few seconds, the interviewer sees a “Different
          person” note to review. Turning your head, poor light or someone passing behind you only
          makes the check unavailable for a moment; they are not counted against you.
        </li>
        <li>Nothing estimates your age, gender, emotions or any other trait.</li>
      </ul>
      <label className="consent">
        <input
          type="checkbox"
          checked={agreed}
          onChange={(event) => onChange(event.target.checked)}
        />{' '}
        I agree to the identity check described above, on this device, for this interview.
      </label>
      <p className="muted">
        You need to agree to join this interview. If you do not want this check, tell the organiser
        before the interview.
      </p>
    </section>
  );
}
