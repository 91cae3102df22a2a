!function(e){var t={};function n(r){if(t[r])return t[r].exports}}([]);
const u = {}; u[key](); [][k];
