'use strict';
const ALLOWED = new Set(['p', 'b', 'i', 'em', 'strong', 'a', 'ul', 'ol', 'li', 'code', 'pre', 'br']);

function sanitize(html) {
  return html
    .replace(/<(script|style|iframe|object)[\s\S]*?<\/\1>/gi, '')
    .replace(/\son\w+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/href\s*=\s*(["'])\s*javascript:[^"']*\1/gi, 'href="#"')
    .replace(/<\/?([a-z0-9]+)[^>]*>/gi, (tag, name) => (ALLOWED.has(name.toLowerCase()) ? tag : ''));
}

module.exports = { sanitize };
