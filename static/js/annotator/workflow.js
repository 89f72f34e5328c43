/*
 * The workflow's words as people read them: a claim's state with its
 * publication ("published · revision in review", "retracted: reason"), and
 * the workflow actions the claim's state allows (the server's `actions`)
 * that the visitor's role may take (vocabulary.js `transitions`).
 * templates/_claim.html words the claim cards from the same words.
 */
import { mayTake, vocabulary } from './page.js';

// From annotations/workflow.py, through vocabulary.js: the states on their
// own, and for a published claim whose working copy is being revised.
const STATUS_WORDS = vocabulary.statusWords;
const REVISION_WORDS = vocabulary.revisionWords;

export const statusWord = (status) => STATUS_WORDS[status] || status || '';

/** True when readers see a publication of the claim (not retracted). */
export const livePublication = (claim) =>
  Boolean(claim.publication && claim.publication.status === 'published');

/** True when the desk is revising a claim readers see. */
export const isRevision = (claim) =>
  livePublication(claim) && Object.hasOwn(REVISION_WORDS, claim.status);

/** The claim's state in words, with its publication and retraction reason. */
export function describeStatus(claim) {
  if (claim.status === 'retracted') {
    const reason = claim.publication && claim.publication.retraction_reason;
    return reason ? `retracted: ${reason}` : 'retracted';
  }
  if (isRevision(claim)) return `published · ${REVISION_WORDS[claim.status]}`;
  return statusWord(claim.status);
}

/** The actions to offer on the claim, in the workflow's order. */
export function offeredActions(claim) {
  const allowed = new Set(claim.actions || []);
  return Object.keys(vocabulary.transitions)
    .filter((action) => allowed.has(action) && mayTake(action));
}

export const transition = (action) => vocabulary.transitions[action];
