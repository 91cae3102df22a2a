export default { bcp47: 'en-US', currency: 'USD' };
