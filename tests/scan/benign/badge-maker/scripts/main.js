'use strict';
const fs = require('fs');
const { textWidth } = require('./width');

const COLORS = {
  green: '#4c1', yellow: '#dfb317', orange: '#fe7d37', red: '#e05d44', blue: '#007ec6', grey: '#555',
};

// 32x32 PNG logo (generated from logo.svg by the design team), embedded as data.
const LOGO_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAJoUlEQVR42tWXW1Oa9xbGe5Gv4P0+Znc6nU5b29pzJ5PJxJ6JRHRAKYEgvr6gMcQAIhhfYoKAgKCSwEwUEBHxFCXxfAiiiclkJkfTJE1zm2/x2+90ZneyO+1u9m57sdfM/3qtWf+1nue3Xnrp/y0s3yjKmuqqKq31SrFDq3RJ3yhdPXVKMVBfVRnTKsr+kKSHjyj21OqV4lGDqiToarEcUdOq1+AyaJB0GnxH5KdXEzHUktCpSukjSjGtV+z5XZIrjirFalPNM3WDGoOxHstRHY0mPbYGA26jAemoAb/JgLdBz4BRx9DRekZNajINNc/GjErxf068X1CUfdlYPasQ1VQ1aakT9DQ0GhFEE2KTQJsg0tkoIokigSaRoCAQbjSREI1kmvRkBS25RjUFsXp2rem//JoPLYf2HjCrdj9r0aBo1qG0GNGaBYwtZizNLTRbWrGardhbrEjNVnotVgLmVqItLQw1mxm2CCTNRqZadBSaNaxbVLtF86G9L5S84qSi7AObavfgiTo+b9OjOGlCYROpPXEMXZsV4aQNweag9YQTR5sT6aSToM2J74SDwTYbiZNWsrZjpE+ITLeZKJzUs2Kro3RCtVtqe4FOlDurZz+2a9jn0FPZLid3WjhkP47aYcPU7sTidGO2d2FzSLS3e5CcHkJ2Ca+ji752N0NOJym7jYzjOBPtFgpOE6t2PdsODZvt1bP/MfnrbqVY4VLzUYeO/Z0mPnVbULisqDrs1HW60LslBFc3LR1e2jp9ON1+JJcfb4ePYKeXfnc3CZdEssNFttPOpNtKwWVhqcPERqeObbeam65fGMyXJcWe8q6aZ+WntLzrMXJAEvmq6ziKU3ZqPG60kocjXV4spwI0ecJYpQgdXVGkU1F6PBECUphYV4ChU15GPB6SkpvxLjuFU8dZ9ogUJSNbXVp2TtU82/X8zIq+1q0U3zmtpuKsnk/OCBzsPsbXp20ozro4fMZDbXcPR0+HEM5GsZyJ0dodx3U6gXQ2ge9MHF93jMjpKImzIdJnekh3e8ifdlE4a2PhzDFK3QIbp/XcPKvm9pmf6cKrflXpDW895T1G3veZ2ee38oXXiaJHotrnRe0PYfAOYOmJ0+i7gM2fwu1NI/Wk8ftSeP0XGPDGGeoZYNQXIuP3MuaVKPQ4WfRZ2fabueo1stNTzz2fqvRvyf8UUpS9EqjlrV4dFUET74Va2B+w8WWvG0Wwm6pQgLpAlIbeOEJwGDGUoS2Qo7M3jxTMEwjlCAYyhHuHSQTjZEJRsoEAud5uCkE3ayEbG4EWir0mbgZ1PAjV8jDw3Eb8OVxV+XKf3P6InvKowIfhVg70Ofgs0oUi6kUZDqPti2GMXMASzdAczmPtm8EemUOKztEbniHQlycayTAUvcBwOEayL8xUxEsh2sV62EGxr5UrEYGdqJ47YTVP+6oqfyzgL/1K8bWYhjcHDVQMiHzQb+VgzMnngxKKAR+K/gi1sTi6wRTCQA6hf4bW2DyOwWWkgWWC/fP4YjMMDuZIDKTI9sdJxyJMD/ooDEis9DspxayUBkVuDhi436/hSey5OfhrQul6Na7h7fMGys+JfJywsi/upPK8B8U5P4cSUdTxBKbzaSzn8pgTc9jiy7SfLyKdKxJKLOONz9F3Ps/QuTSpRIJMPMrEeT+Fcx5WE06241Y2z4vsnDNwK6HhcVzp+rGAvyWVrldSGl5Pyx0YFvkoaWV/ysmnabmAYT+qZJS6VAJ9Oo0wnKclOUdbahlnWi5guIg3KXchNUd/Ok9iOE0ymSCbijKZlgsY9rCUdLKRkgcxLXdg2MDdpIaHqecK+PuoUnw5q6F8RO5ARuTdUSsHsk6+GpG/IOOjZjSCNhvnyEgKSyZH0+gM1uw8HSPyF2SW6RmdJ5CdITaSYyiTYmQ0TjIbYXxE/oKMxPKok2LWytaI3IGMgd1RDU+zz33B3nxV5Wtjat7J6akYF/gk38rBMQdf5+QhHPdyOB+mdizG0dwFhPEMlnye1rEZXDl5CMfn8OVn8I3lieQyJMYvkM7HSI+FyefkIRzvYiHvoDTWykZO4Oa4ntt5NU/GnhvCf0wqyl6dqOWNaR3lUyben2xh34SNL6blNZzqpnoygHoiimE6jmVqmMbJDLaJHO5peQ2n8vgnc3gnMgxMDzM0FWd0MkpmIsDYtLyGU24WJ21sT7RwddrEzpSOe5O1PJ74iTG9MqcqvTVbT8VFI+/NmNk/Z+XLWVmILkpUzXipmwvRMDuAcDGOOHOBtrkUnbOyEF1ME5hJEZy7QHg2TuLiAJmZENk5L7lZWYguOlmbsbIxZ6Y4a+TmxXoezPxEiH7wgsuyEV1SU17Q8+G8wIHLx/jskizFBRfKeQ/ayz0YL4WwFKI0z8ewXo5jvyRLcSFB73ycwOUY0UtRhgohhud7SF72MHVJluKCjfX5YxQvC1y5pGenoObO/M9I8WtLij1vLtc8q1jQ8sGikYNLIp8vy2a0YEex6KZ2yYNu2YuwEEBYDNO6FMGxLJvRQpTgYgTfUpjB5QCJBS/ZRQ/pJTfTy7IZLRxnZVGktGSktKzl5kLNs/uLv8CLb68oxfJVNR+v6di3bqJyRbbjVSuH1uyo112YViQsq92Y17zY1n20r8h2vOontObDu+6lb6WboVWJ1JqLzLqdiRXZjlctrK6Z2F7XsbmiZmf1VzixYrN69qOihv1X9Hy6IQPJpgVV8Th1V2zoN5wIm25ail20XZFwbshAsunBW5QIXumif8NNYtNJsmgje+U4kxsykGyaWCrq2biiYXvjV4DkByLaVpS9u6XaPVCq46urMpJtm6jZEtGWjnHkqhXLto2mLQfWkpOOqzKSbTvp2XISKDmIXbUxtG1lZOsYyZLI+FUZybb1LG/VUSypdreuviCcfnLt0N6DN1S7X1+XoXRHx+FrRmpvCBy9bkbYacFyrZXWG1Zc12Uo3bHiuya/G61ErreQ2DGTviaQvmEkf12G0h0NC9dkHrzxglD6r9h3W1H2xR0Zy++qqb6lRX1bj+GOEctdE423BGy3Rdx3ZCy/K+K/JeK9LTBwx8TQXSOjt/RkbmsZuyNj+d3q2cVbv+FiUtxTilX3a57V7appeFCPcE+HeF9P266BzgfyYXLPQOC+geCunvADHYl79WTuq8nu1jzLPfgNh8nzoXyk2KN9rBSN36pKloe1ND9SY32swf6tfJo91ND7SEPgsZrot7UMPVSVhh8pxeTj3+k0+2kITxVlwvdVla1PlKLjO/k4fap0Bb9Xir4nVZWD3/1Bx+kfGf8EPaf4ojdFhBMAAAAASUVORK5CYII=';

const escapeXml = (s) => String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);

function badge({ label = 'label', message = 'message', color = 'blue', icon = false }) {
  const fill = COLORS[color] ?? (/^#[0-9a-f]{6}$/i.test(color) ? color : COLORS.grey);
  const iconW = icon ? 17 : 0;
  const lw = Math.round(textWidth(label)) + 10 + iconW;
  const mw = Math.round(textWidth(message)) + 10;
  const w = lw + mw;
  const img = icon
    ? `<image x="3" y="3" width="14" height="14" href="data:image/png;base64,${LOGO_PNG_BASE64}"/>`
    : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${escapeXml(label)}: ${escapeXml(message)}">`,
    `<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${fill}"/>`,
    img,
    `<g fill="#fff" font-family="Verdana,Geneva,sans-serif" font-size="11" text-anchor="middle">`,
    `<text x="${(lw + iconW) / 2}" y="14">${escapeXml(label)}</text>`,
    `<text x="${lw + mw / 2}" y="14">${escapeXml(message)}</text></g></svg>`,
  ].join('');
}

let req;
try {
  req = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
} catch (e) {
  console.log(JSON.stringify({ error: 'input is not JSON' }));
  process.exit(0);
}
const svg = badge(req);
console.log(JSON.stringify({ svg, data_uri: 'data:image/svg+xml;base64,' + Buffer.from(svg).toString('base64') }));
