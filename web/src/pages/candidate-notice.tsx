/**
 * What the candidate is told before joining. Plain language, no legalese: what is analysed,
 * where, what is stored and for how long, and that a person decides.
 */
export function CandidatePrivacyNotice({ retentionDays }: { retentionDays: number }) {
  return (
    <section className="panel notice" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">What this interview checks, and what is kept</h2>
      <ul>
        <li>
          Your browser analyses your camera image <strong>on this device</strong>: whether a face is
          visible, how many faces there are, where your head and eyes point, and the light level.
          Video frames are never stored or sent anywhere except as the live video the interviewer
          sees. Nothing is recorded.
        </li>
        <li>
          The page also notes when the interview tab is hidden, the window loses focus, fullscreen
          is left, text is copied or pasted, or the camera or microphone stops.
        </li>
        <li>
          Only numbers (for example “one face, looking at the screen 94% of this second”) and these
          events are sent to the interview service. No images, face measurements or face templates
          are kept.
        </li>
        <li>
          Nothing here judges emotions, personality or any other trait. The signals are evidence for
          the interviewer to review; they are not a hiring decision. Poor light or a weak connection
          is recorded as a measurement problem, not as suspicion.
        </li>
        <li>The interview record is deleted automatically after {retentionDays} days.</li>
      </ul>
      <p>You will be told on screen whenever a signal is being recorded, so you can correct it.</p>
    </section>
  );
}
