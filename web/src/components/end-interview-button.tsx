import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { api } from '../api/api-client';

/**
 * Ends the interview for both sides, for the interviewer only, behind a confirmation: the
 * server closes the room and writes the final record, which cannot be undone. The candidate's
 * page has Leave instead (and the server refuses a candidate's completion with 403).
 */
export function EndInterviewButton({ token, onEnded }: { token: string; onEnded: () => void }) {
  const [open, setOpen] = useState(false);
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const end = async (): Promise<void> => {
    setEnding(true);
    setError(null);
    try {
      await api.complete(token);
      onEnded();
    } catch (e) {
      console.warn('end interview failed', e);
      setError('The interview could not be ended. Check your connection and try again.');
      setEnding(false);
    }
  };
  const close = (): void => {
    setOpen(false);
    opener.current?.focus();
  };
  return (
    <>
      <button ref={opener} type="button" className="danger" onClick={() => setOpen(true)}>
        End interview
      </button>
      {open && (
        <ConfirmDialog
          title="End the interview for both of you?"
          confirmLabel={ending ? 'Ending…' : 'End interview'}
          busy={ending}
          onConfirm={() => void end()}
          onCancel={close}
        >
          <p>
            The room closes for the candidate too and the report is written. This cannot be undone.
            To step out and come back, use Leave instead.
          </p>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

/**
 * A modal confirmation on the native <dialog> (focus moves into it, Escape cancels, the page
 * behind is inert). Focus starts on Cancel: the safe choice is the default one.
 */
export function ConfirmDialog({
  title,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const latestOnCancel = useRef(onCancel);
  useEffect(() => {
    latestOnCancel.current = onCancel;
  }, [onCancel]);
  // Opens once on mount; Escape goes through the latest onCancel.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    if (typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
    else dialog.setAttribute('open', '');
    cancel.current?.focus();
    const onCancelEvent = (event: Event): void => {
      event.preventDefault();
      latestOnCancel.current();
    };
    dialog.addEventListener('cancel', onCancelEvent);
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      if (dialog.open) dialog.close();
    };
  }, []);
  const titleId = useId();
  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <div className="dialog-actions">
        <button ref={cancel} type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
