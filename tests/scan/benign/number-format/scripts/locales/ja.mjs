export default { bcp47: 'ja-JP', currency: 'JPY' };
