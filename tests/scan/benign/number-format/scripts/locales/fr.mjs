export default { bcp47: 'fr-FR', currency: 'EUR' };
