/*
 * What every module may ask about the page: the shared libraries and the
 * visitor's role.
 *
 * FactVocabulary and FactAnchoring are classic scripts loaded before the
 * modules (article.html), because the extension's content scripts use the
 * very same files and MV3 content scripts cannot be ES modules.
 */
export const vocabulary = globalThis.FactVocabulary;
export const anchoring = globalThis.FactAnchoring;

// The server renders the role; it checks every request again anyway, so
// these only decide which controls to offer.
const role = document.body.dataset.role;
export const canEdit = vocabulary.roleAtLeast(role, 'factchecker');
export const canPublish = vocabulary.roleAtLeast(role, 'editor');

const annotator = document.getElementById('annotator');
// Who is looking (for the two-person rule's hint), and whether the desk
// runs that rule (a setting); both rendered by the server.
export const userId = annotator && annotator.dataset.userId ? Number(annotator.dataset.userId) : null;
export const twoPersonRule = Boolean(annotator && annotator.dataset.twoPersonRule === 'on');

/** True when the visitor's role may take the workflow action. */
export function mayTake(action) {
  const step = vocabulary.transitions[action];
  return Boolean(step) && vocabulary.roleAtLeast(role, step.role);
}
