/*
 * Word-level differences between two texts, drawn as <del> and <ins> with
 * DOM nodes and textContent only (the texts are users'). A rationale is
 * compared as the words readers read, its markup left out.
 */

// Past this many word pairs the middle is shown as replaced whole rather
// than compared word by word (a 20,000-character rationale has ~3,000).
const MAX_CELLS = 4_000_000;

const words = (text) => (text || '').split(/\s+/).filter(Boolean);

/**
 * [{type: 'same'|'del'|'ins', text}] turning `before` into `after`, word by
 * word (longest common subsequence over what the common ends leave).
 */
export function wordDiff(before, after) {
  const a = words(before);
  const b = words(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head &&
         a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const parts = [];
  const push = (type, word) => {
    const last = parts.at(-1);
    if (last && last.type === type) last.words.push(word); else parts.push({ type, words: [word] });
  };
  a.slice(0, head).forEach((word) => push('same', word));
  if (midA.length * midB.length > MAX_CELLS) {
    midA.forEach((word) => push('del', word));
    midB.forEach((word) => push('ins', word));
  } else {
    // lengths[i][j]: the common subsequence of midA[i:] and midB[j:], flattened.
    const width = midB.length + 1;
    const lengths = new Uint32Array((midA.length + 1) * width);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lengths[i * width + j] = midA[i] === midB[j]
          ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
        push('same', midA[i]); i++; j++;
      } else if (i < midA.length &&
                 (j === midB.length || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1])) {
        push('del', midA[i]); i++;  // removed words first, then what replaces them
      } else {
        push('ins', midB[j]); j++;
      }
    }
  }
  a.slice(a.length - tail).forEach((word) => push('same', word));
  return parts.map(({ type, words: run }) => ({ type, text: run.join(' ') }));
}

/** The difference as nodes: unchanged words as text, removed in <del>, added in <ins>. */
export function diffNodes(before, after) {
  const fragment = document.createDocumentFragment();
  wordDiff(before, after).forEach((part, index) => {
    if (index > 0) fragment.append(' ');
    if (part.type === 'same') {
      fragment.append(part.text);
    } else {
      const element = document.createElement(part.type);
      element.textContent = part.text;
      fragment.append(element);
    }
  });
  return fragment;
}

// Elements around which readers see a break between words.
const BLOCKS = 'p, li, blockquote, br, ul, ol, h1, h2, h3, h4, h5, h6, pre, div';

/**
 * The words of a rationale (bleach-cleaned HTML) as readers read them. The
 * HTML is parsed into an inert document (no scripts run, nothing loads in
 * it) and only its text is taken.
 */
export function rationaleText(html) {
  const doc = new DOMParser().parseFromString(html || '', 'text/html');
  // Both sides: text right before a block (a bare link, then a paragraph)
  // is a word of its own too.
  doc.body.querySelectorAll(BLOCKS).forEach((element) => { element.before(' '); element.after(' '); });
  return doc.body.textContent.split(/\s+/).filter(Boolean).join(' ');
}
