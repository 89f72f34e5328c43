/*
 * The user's selection as a span of one passage. The store counts offsets in
 * Unicode code points (the W3C rule) while the DOM counts UTF-16 units, so
 * offsets are converted with FactAnchoring, the library the extension uses.
 */
import { anchoring } from './page.js';

function passageOf(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return element && element.closest('#passages .passage');
}

/**
 * The selected span as {passageId, start, end, exact}, offsets in code
 * points; {error} when it crosses passages; null when nothing is selected.
 */
export function selectedSpan() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const passage = passageOf(range.startContainer);
  if (!passage || passage !== passageOf(range.endContainer)) {
    return { error: 'Select text inside a single passage.' };
  }
  const before = document.createRange();
  before.selectNodeContents(passage);
  before.setEnd(range.startContainer, range.startOffset);
  const text = passage.textContent;
  let startUnits = before.toString().length;
  let endUnits = startUnits + range.toString().length;
  // Leave out spaces picked up at either edge of the selection.
  while (startUnits < endUnits && /\s/.test(text[startUnits])) startUnits++;
  while (endUnits > startUnits && /\s/.test(text[endUnits - 1])) endUnits--;
  if (startUnits === endUnits) return null;
  return {
    passageId: Number(passage.dataset.passageId),
    start: anchoring.utf16ToCodePoints(text, startUnits),
    end: anchoring.utf16ToCodePoints(text, endUnits),
    exact: text.slice(startUnits, endUnits),
  };
}
