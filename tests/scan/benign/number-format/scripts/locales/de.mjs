export default { bcp47: 'de-DE', currency: 'EUR' };
