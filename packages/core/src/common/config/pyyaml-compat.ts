import { CST, Lexer } from 'yaml';

/**
 * Where PyYAML (YAML 1.1, which W&B uses to read sweep files) would stop on a tab that the YAML 1.2
 * `yaml` package accepts, or `undefined`.
 *
 * YAML 1.2 allows tabs as separation whitespace (`key:<TAB>value`, a tab-indented line inside a
 * `{ ... }` flow mapping, trailing tabs), so the `yaml` package reads e.g. corpus file 077 (a JSON
 * file indented with tabs) without complaint. PyYAML's scanner only skips spaces between tokens and
 * fails with "found character '\t' that cannot start any token". A config that W&B cannot even load
 * must not pass here, so broom reports the first such tab as a syntax error with its line and
 * column. Tabs inside quoted strings, block scalars (`|`, `>`) and comments are fine for both.
 */
export function findPyYamlTab(text: string): number | undefined {
  let offset = 0;
  let scalarBody = false; // the next token is the body of a plain or block scalar
  let blockHeader = false; // ...and it is a block scalar (tabs allowed)
  for (const token of new Lexer().lex(text)) {
    // The lexer's control tokens mark structure and take no room in the source.
    if (token === CST.DOCUMENT || token === CST.FLOW_END) continue;
    if (token === CST.SCALAR) {
      scalarBody = true;
      continue;
    }
    if (scalarBody) {
      if (!blockHeader && token.includes('\t')) return offset + token.indexOf('\t');
      scalarBody = false;
      blockHeader = false;
    } else {
      const type = CST.tokenType(token);
      if (type === 'space' && token.includes('\t')) return offset + token.indexOf('\t');
      if (type === 'block-scalar-header') blockHeader = true;
    }
    offset += token.length;
  }
  return undefined;
}
