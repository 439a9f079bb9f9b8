// A small helper to build elements: text goes in as text, never as HTML.

/** `h('li', { class: 'row', onclick }, 'text', child)`. */
export function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child));
  return el;
}

/** Empties an element and fills it with children. */
export function fill(el, ...children) {
  el.replaceChildren();
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child));
}

/** Shows or hides a tab's detail pane; on a phone the list gives way to it (`showing-detail`). */
export function showDetail(tab, shown) {
  const split = document.getElementById(tab).querySelector('.split');
  split.querySelector('.detail').hidden = !shown;
  split.classList.toggle('showing-detail', shown);
}
