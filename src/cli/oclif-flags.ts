/** oclif flag definitions built from a flag table (src/lint/flags.ts), for commands whose flags are declared once as data. */
import {Flags, type Interfaces} from '@oclif/core';
import type {FlagSpec} from '../lint/flags.js';

export function oclifFlags(specs: readonly FlagSpec[]): Interfaces.FlagInput {
  const out: Interfaces.FlagInput = {};
  for (const f of specs) {
    const common = {description: f.description, ...(f.char ? {char: f.char as 'f'} : {}), ...(f.helpValue ? {helpValue: f.helpValue} : {})};
    if (f.type === 'boolean') out[f.name] = Flags.boolean({...common, ...(f.allowNo ? {allowNo: true} : {})});
    else if (f.type === 'integer') out[f.name] = Flags.integer(common);
    else if (f.multiple) out[f.name] = Flags.string({...common, multiple: true});
    else out[f.name] = Flags.string({...common, ...(f.options ? {options: [...f.options]} : {}), ...(typeof f.default === 'string' ? {default: f.default} : {})});
  }
  return out;
}
