// Indian numbering: the first group has three digits, then groups of two (12,34,56,789).
function decimal(value) {
  const [int, frac] = Math.abs(value).toFixed(2).split('.');
  const last3 = int.slice(-3);
  const rest = int.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  const grouped = rest ? `${rest},${last3}` : last3;
  return `${value < 0 ? '-' : ''}${grouped}${frac !== '00' ? '.' + frac : ''}`;
}

export default { bcp47: 'en-IN', currency: 'INR', decimal };
