// A citizen answers a request for information: the answer is kept on the case (not in the
// journey, whose history is visible in the console) and the journey puts the case back in the
// caseworker queue.
import { completeWait, type CallbackDeps } from '../cases/callbacks';
import { PublicError } from '../shared/errors';

export async function answerInformation(deps: CallbackDeps, reference: string, text: string): Promise<void> {
  const at = deps.clock().toISOString();
  // Kept first, so even an answer that comes too late is on the case for the caseworker.
  await deps.store.update(reference, (current) =>
    current.awaiting === 'information' || current.stage === 'information-needed'
      ? { set: { informationResponses: [...(current.informationResponses ?? []), { at, text }] } }
      : undefined,
  );
  await completeWait(deps, reference, {
    check: (current) => {
      if (current.awaiting !== 'information' || !current.taskToken) {
        throw new PublicError('conflict', 'We are not waiting for information on this case. Check its status to see where it is.');
      }
    },
    change: { append: { audit: [{ at, actor: 'citizen', action: 'answered-information' }] } },
    output: () => ({ answered: true, at }),
    notApplied: () => ({
      audit: { at, actor: 'citizen', action: 'information-too-late', reason: 'The answer came after the time to answer had passed.' },
      error: new PublicError('conflict', 'The time to answer had passed, so a caseworker is already deciding with what we had. We have kept your answer on the case.'),
    }),
  });
}
