// Builds DOM nodes. Text always goes in through text nodes, never parsed as markup: job fields, payloads and
// errors are attacker data and must show as text.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function svg(tag, attrs, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.substring(2), value);
    } else if (name === 'style' || name.startsWith('on')) {
      throw new Error('inline styles and handlers are not allowed: ' + name);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
}

export function stateBadge(state) {
  return el('span', { class: 'state state-' + safeClass(state) }, state);
}

// Class names built from data are limited to letters, so that a hostile value cannot add other classes.
export function safeClass(text) {
  return String(text || '').replace(/[^A-Za-z_]/g, '');
}

export function time(iso) {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return isNaN(date) ? String(iso) : date.toLocaleString();
}

export function number(n) {
  return n === null || n === undefined ? '' : Number(n).toLocaleString();
}
