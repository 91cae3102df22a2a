#!/usr/bin/env node
// comment
/* block
 */ xy
