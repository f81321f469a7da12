// A small Markdown renderer for the rule documentation (headings, paragraphs, lists, tables,
// fenced code, inline code, emphasis). It builds DOM nodes, never HTML strings, so the text
// cannot inject markup.

function inline(text, parent) {
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) parent.append(text.slice(last, m.index));
    const [tok] = m;
    if (m[1]) {
      const code = document.createElement('code');
      code.textContent = tok.slice(1, -1);
      parent.append(code);
    } else if (m[2]) {
      const b = document.createElement('strong');
      b.textContent = tok.slice(2, -2);
      parent.append(b);
    } else {
      const i = document.createElement('em');
      i.textContent = tok.slice(1, -1);
      parent.append(i);
    }
    last = m.index + tok.length;
  }
  if (last < text.length) parent.append(text.slice(last));
  return parent;
}

const el = (tag, cls) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
};

const cells = (line) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

/** @returns {DocumentFragment} */
export function renderMarkdown(md) {
  const out = document.createDocumentFragment();
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
    } else if (line.startsWith('```')) {
      const lang = line.slice(3).trim();
      const body = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
      i++;
      const pre = el('pre');
      const code = el('code', lang ? `language-${lang}` : '');
      code.textContent = body.join('\n');
      pre.append(code);
      out.append(pre);
    } else if (/^#{1,6} /.test(line)) {
      const level = Math.min(line.indexOf(' ') + 1, 6); // "## x" is shown one level down
      out.append(inline(line.replace(/^#+ /, ''), el(`h${level}`)));
      i++;
    } else if (/^\s*[-*] /.test(line)) {
      const ul = el('ul');
      while (i < lines.length && /^\s*[-*] /.test(lines[i])) {
        let item = lines[i].replace(/^\s*[-*] /, '');
        for (i++; i < lines.length && /^\s{2,}\S/.test(lines[i]) && !/^\s*[-*] /.test(lines[i]); i++) {
          item += ' ' + lines[i].trim();
        }
        ul.append(inline(item, el('li')));
      }
      out.append(ul);
    } else if (line.trim().startsWith('|')) {
      const rows = [];
      while (i < lines.length && lines[i].trim().startsWith('|')) rows.push(lines[i++]);
      const table = el('table');
      const body = rows.filter((r) => !/^\s*\|?\s*:?-{2,}/.test(r));
      body.forEach((r, n) => {
        const tr = el('tr');
        for (const c of cells(r)) tr.append(inline(c, el(n === 0 ? 'th' : 'td')));
        table.append(tr);
      });
      out.append(table);
    } else {
      const para = [];
      while (
        i < lines.length &&
        lines[i].trim() !== '' &&
        !lines[i].startsWith('```') &&
        !/^#{1,6} /.test(lines[i]) &&
        !/^\s*[-*] /.test(lines[i]) &&
        !lines[i].trim().startsWith('|')
      ) {
        para.push(lines[i++].trim());
      }
      out.append(inline(para.join(' '), el('p')));
    }
  }
  return out;
}
