import { ServiceError } from '../../core/service-error.ts';

/**
 * A parser for the PartiQL that DynamoDB accepts (ExecuteStatement, BatchExecuteStatement,
 * ExecuteTransaction). No maintained PartiQL parser exists on npm (AWS ships its parser for
 * Kotlin and Rust only), and DynamoDB's dialect is small, so this is a hand-written
 * recursive-descent parser. Grammar (keywords case-insensitive; `--` and `/* *\/` comments;
 * one statement, an optional `;` at the end):
 *
 *   statement  := select | insert | update | delete | EXISTS '(' select ')'   (the last in transactions only)
 *   select     := SELECT ( '*' | path (',' path)* ) FROM name ['.' name] [WHERE condition]
 *                 [ORDER BY path [ASC|DESC]]
 *   insert     := INSERT INTO name VALUE value
 *   update     := UPDATE name ( SET assignment (',' assignment)* | REMOVE path (',' path)* )+
 *                 WHERE condition [returning]
 *   delete     := DELETE FROM name WHERE condition [returning]
 *   returning  := RETURNING (ALL | MODIFIED) (OLD | NEW) '*'
 *   assignment := path '=' update_value
 *   update_value := operand [('+' | '-') operand]
 *   condition  := conjunct (OR conjunct)* ; conjunct := negation (AND negation)*
 *   negation   := NOT negation | '(' condition ')' | EXISTS '(' select ')' | predicate
 *   predicate  := function '(' args ')' | operand ( compare operand | [NOT] BETWEEN operand AND operand
 *                 | [NOT] IN ('(' | '[') operand (',' operand)* (')' | ']') | IS [NOT] (MISSING | NULL) )
 *   compare    := '=' | '<>' | '!=' | '<' | '<=' | '>' | '>='
 *   operand    := path | value | function '(' args ')'
 *   path       := name ( '.' name | '[' integer ']' )*
 *   name       := identifier | "quoted identifier"
 *   value      := 'string' | number | TRUE | FALSE | NULL | '?' | '[' values ']' | '<<' values '>>'
 *                 | '{' 'key' ':' value (',' 'key' ':' value)* '}'
 *
 * Single quotes make strings, double quotes names (PartiQL select statements for DynamoDB,
 * "Syntax"); a reserved word (KEYWORDS) is a name only in double quotes.
 */

export type Path = { kind: 'path'; steps: Array<string | number> };

export type Value =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'param'; index: number }
  | { kind: 'list'; items: Value[] }
  | { kind: 'set'; items: Value[] }
  | { kind: 'map'; entries: Array<[string, Value]> };

export type Operand = Path | Value | { kind: 'call'; name: string; args: Operand[] };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; values: Operand[] }
  | { kind: 'missing'; path: Path; negated: boolean }
  | { kind: 'is-null'; path: Path; negated: boolean }
  | { kind: 'function'; name: string; args: Operand[] }
  | { kind: 'exists'; select: SelectStatement };

export type UpdateValue = Operand | { kind: 'arithmetic'; op: '+' | '-'; left: Operand; right: Operand };
export type UpdateAction = { kind: 'set'; path: Path; value: UpdateValue } | { kind: 'remove'; path: Path };
export type Returning = 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW';

export interface SelectStatement {
  kind: 'select';
  projection: Path[] | '*';
  table: string;
  index?: string;
  where?: Condition;
  orderBy?: { path: Path; descending: boolean };
}
export interface InsertStatement {
  kind: 'insert';
  table: string;
  item: Value;
}
export interface UpdateStatement {
  kind: 'update';
  table: string;
  actions: UpdateAction[];
  where?: Condition;
  returning?: Returning;
}
export interface DeleteStatement {
  kind: 'delete';
  table: string;
  where?: Condition;
  returning?: Returning;
}
/** A condition check, the statement form ExecuteTransaction accepts: EXISTS(SELECT ... WHERE <full key> [AND ...]). */
export interface ExistsStatement {
  kind: 'exists';
  select: SelectStatement;
  table: string;
}
type AnyStatement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;
export type Statement = AnyStatement & { parameterCount: number };

/**
 * PartiQL's reserved words: SQL-92's and PartiQL's own (PartiQL is backwards compatible with
 * SQL-92). Unquoted, one is no name: `WHERE pad = 'x'` is a syntax error on DynamoDB, and
 * `WHERE "pad" = 'x'` runs. The list is the one AWS publishes for its PartiQL ("Reserved
 * keywords", Amazon QLDB developer guide, ql-reference.reserved.html) without QLDB's own
 * functions (DATE_ADD, DATE_DIFF, TO_STRING, TO_TIMESTAMP, UTCNOW, TXID, UNDROP) and SIZE,
 * a DynamoDB function. So `year`, `user`, `date`, `key` and `value` must be quoted.
 */
const KEYWORDS = new Set([
  'ABSOLUTE', 'ACTION', 'ADD', 'ALL', 'ALLOCATE', 'ALTER', 'AND', 'ANY', 'ARE', 'AS', 'ASC', 'ASSERTION', 'AT',
  'AUTHORIZATION', 'AVG', 'BAG', 'BEGIN', 'BETWEEN', 'BIT', 'BIT_LENGTH', 'BLOB', 'BOOL', 'BOOLEAN', 'BOTH', 'BY',
  'CASCADE', 'CASCADED', 'CASE', 'CAST', 'CATALOG', 'CHAR', 'CHARACTER', 'CHARACTER_LENGTH', 'CHAR_LENGTH', 'CHECK',
  'CLOB', 'CLOSE', 'COALESCE', 'COLLATE', 'COLLATION', 'COLUMN', 'COMMIT', 'CONNECT', 'CONNECTION', 'CONSTRAINT',
  'CONSTRAINTS', 'CONTINUE', 'CONVERT', 'CORRESPONDING', 'COUNT', 'CREATE', 'CROSS', 'CURRENT', 'CURRENT_DATE',
  'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'CURRENT_USER', 'CURSOR', 'DATE', 'DAY', 'DEALLOCATE', 'DEC', 'DECIMAL',
  'DECLARE', 'DEFAULT', 'DEFERRABLE', 'DEFERRED', 'DELETE', 'DESC', 'DESCRIBE', 'DESCRIPTOR', 'DIAGNOSTICS',
  'DISCONNECT', 'DISTINCT', 'DOMAIN', 'DOUBLE', 'DROP', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXCEPTION', 'EXEC',
  'EXECUTE', 'EXISTS', 'EXTERNAL', 'EXTRACT', 'FALSE', 'FETCH', 'FIRST', 'FLOAT', 'FOR', 'FOREIGN', 'FOUND', 'FROM',
  'FULL', 'GET', 'GLOBAL', 'GO', 'GOTO', 'GRANT', 'GROUP', 'HAVING', 'HOUR', 'IDENTITY', 'IMMEDIATE', 'IN', 'INDEX',
  'INDICATOR', 'INITIALLY', 'INNER', 'INPUT', 'INSENSITIVE', 'INSERT', 'INT', 'INTEGER', 'INTERSECT', 'INTERVAL',
  'INTO', 'IS', 'ISOLATION', 'JOIN', 'KEY', 'LANGUAGE', 'LAST', 'LEADING', 'LEFT', 'LEVEL', 'LIKE', 'LIMIT', 'LIST',
  'LOCAL', 'LOWER', 'MATCH', 'MAX', 'MIN', 'MINUTE', 'MISSING', 'MODULE', 'MONTH', 'NAMES', 'NATIONAL', 'NATURAL',
  'NCHAR', 'NEXT', 'NO', 'NOT', 'NULL', 'NULLIF', 'NUMERIC', 'OCTET_LENGTH', 'OF', 'ON', 'ONLY', 'OPEN', 'OPTION',
  'OR', 'ORDER', 'OUTER', 'OUTPUT', 'OVERLAPS', 'PAD', 'PARTIAL', 'PIVOT', 'POSITION', 'PRECISION', 'PREPARE',
  'PRESERVE', 'PRIMARY', 'PRIOR', 'PRIVILEGES', 'PROCEDURE', 'PUBLIC', 'READ', 'REAL', 'REFERENCES', 'RELATIVE',
  'REMOVE', 'RESTRICT', 'REVOKE', 'RIGHT', 'ROLLBACK', 'ROWS', 'SCHEMA', 'SCROLL', 'SECOND', 'SECTION', 'SELECT',
  'SESSION', 'SESSION_USER', 'SET', 'SEXP', 'SMALLINT', 'SOME', 'SPACE', 'SQL', 'SQLCODE', 'SQLERROR', 'SQLSTATE',
  'STRING', 'STRUCT', 'SUBSTRING', 'SUM', 'SYMBOL', 'SYSTEM_USER', 'TABLE', 'TEMPORARY', 'THEN', 'TIME', 'TIMESTAMP',
  'TIMEZONE_HOUR', 'TIMEZONE_MINUTE', 'TO', 'TRAILING', 'TRANSACTION', 'TRANSLATE', 'TRANSLATION', 'TRIM', 'TRUE',
  'TUPLE', 'UNION', 'UNIQUE', 'UNKNOWN', 'UNPIVOT', 'UPDATE', 'UPPER', 'USAGE', 'USER', 'USING', 'VALUE', 'VALUES',
  'VARCHAR', 'VARYING', 'VIEW', 'WHEN', 'WHENEVER', 'WHERE', 'WITH', 'WORK', 'WRITE', 'YEAR', 'ZONE',
]);

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'name'; text: string; at: number }
  | { type: 'string'; text: string; at: number }
  | { type: 'number'; text: string; at: number }
  | { type: 'symbol'; text: string; at: number }
  | { type: 'end'; text: ''; at: number };

/** AWS's wording for every statement it cannot parse (recorded against DynamoDB's own parser). */
export function malformed(detail: string): ServiceError {
  return new ServiceError('ValidationException', `Statement wasn't well formed, can't be processed: ${detail}`);
}

const SYMBOLS = ['<<', '>>', '<=', '>=', '<>', '!=', '*', ',', '.', '(', ')', '[', ']', '{', '}', ':', '=', '<', '>', '?', '+', '-', ';'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (text.startsWith('--', i)) {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw malformed('Unterminated comment');
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw malformed(c === "'" ? 'Unterminated string literal' : 'Unterminated quoted identifier');
        if (text[i] === c) {
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ type: c === "'" ? 'string' : 'name', text: value, at: start });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ type: 'number', text: match[0], at: i });
      i += match[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i))!;
      tokens.push({ type: 'word', text: match[0], at: i });
      i += match[0].length;
    } else {
      const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
      if (!symbol) throw malformed(`Unexpected character '${c}'`);
      tokens.push({ type: 'symbol', text: symbol, at: i });
      i += symbol.length;
    }
  }
  tokens.push({ type: 'end', text: '', at: text.length });
  return tokens;
}

const BOOLEAN_FUNCTIONS = new Set(['begins_with', 'contains', 'attribute_exists', 'attribute_not_exists', 'attribute_type']);
const VALUE_FUNCTIONS = new Set(['size', 'list_append', 'if_not_exists', 'set_add', 'set_delete']);

export function parseStatement(text: string): Statement {
  const parser = new Parser(tokenize(text));
  const statement = parser.statement();
  return { ...statement, parameterCount: parser.parameters };
}

/** How deep parentheses, lists and tuples may nest: a bound on recursion for any 8 KB statement. */
const MAX_DEPTH = 64;

class Parser {
  private position = 0;
  private depth = 0;
  parameters = 0;

  constructor(private readonly tokens: Token[]) {}

  statement(): AnyStatement {
    const first = this.peek();
    if (first.type === 'end') throw malformed('Unexpected end of statement');
    let statement: AnyStatement;
    if (this.acceptWord('SELECT')) statement = this.select();
    else if (this.acceptWord('EXISTS')) statement = this.exists();
    else if (this.acceptWord('INSERT')) statement = this.insert();
    else if (this.acceptWord('UPDATE')) statement = this.update();
    else if (this.acceptWord('DELETE')) statement = this.delete();
    else throw malformed('Expected data manipulation');
    this.acceptSymbol(';');
    if (this.peek().type !== 'end') throw this.unexpected();
    return statement;
  }

  private select(): SelectStatement {
    let projection: Path[] | '*';
    if (this.acceptSymbol('*')) projection = '*';
    else {
      projection = [this.path()];
      while (this.acceptSymbol(',')) projection.push(this.path());
    }
    this.expectWord('FROM');
    const table = this.name();
    const index = this.acceptSymbol('.') ? this.name() : undefined;
    const statement: SelectStatement = { kind: 'select', projection, table, ...(index !== undefined ? { index } : {}) };
    if (this.acceptWord('WHERE')) statement.where = this.condition();
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      const path = this.path();
      const descending = this.acceptWord('DESC') ? true : (this.acceptWord('ASC'), false);
      statement.orderBy = { path, descending };
    }
    return statement;
  }

  private exists(): ExistsStatement {
    this.expectSymbol('(');
    this.expectWord('SELECT');
    const select = this.select();
    this.expectSymbol(')');
    return { kind: 'exists', select, table: select.table };
  }

  private insert(): InsertStatement {
    this.expectWord('INTO');
    const table = this.name();
    this.expectWord('VALUE');
    const item = this.value();
    if (item.kind !== 'map') throw malformed('Expected a tuple in VALUE');
    return { kind: 'insert', table, item };
  }

  private update(): UpdateStatement {
    const table = this.name();
    const actions: UpdateAction[] = [];
    for (;;) {
      if (this.acceptWord('SET')) {
        do {
          const path = this.path();
          this.expectSymbol('=');
          actions.push({ kind: 'set', path, value: this.updateValue() });
        } while (this.acceptSymbol(','));
      } else if (this.acceptWord('REMOVE')) {
        do actions.push({ kind: 'remove', path: this.path() });
        while (this.acceptSymbol(','));
      } else break;
    }
    if (actions.length === 0) throw malformed('Expected SET or REMOVE');
    const statement: UpdateStatement = { kind: 'update', table, actions };
    if (this.acceptWord('WHERE')) statement.where = this.condition();
    const returning = this.returning();
    if (returning) statement.returning = returning;
    return statement;
  }

  private delete(): DeleteStatement {
    this.expectWord('FROM');
    const table = this.name();
    const statement: DeleteStatement = { kind: 'delete', table };
    if (this.acceptWord('WHERE')) statement.where = this.condition();
    const returning = this.returning();
    if (returning) statement.returning = returning;
    return statement;
  }

  private returning(): Returning | undefined {
    if (!this.acceptWord('RETURNING')) return undefined;
    const scope = this.acceptWord('ALL') ? 'ALL' : this.acceptWord('MODIFIED') ? 'UPDATED' : undefined;
    if (!scope) throw this.unexpected();
    const image = this.acceptWord('OLD') ? 'OLD' : this.acceptWord('NEW') ? 'NEW' : undefined;
    if (!image) throw this.unexpected();
    this.expectSymbol('*');
    return `${scope}_${image}` as Returning;
  }

  private updateValue(): UpdateValue {
    const left = this.operand();
    for (const op of ['+', '-'] as const) {
      if (this.acceptSymbol(op)) return { kind: 'arithmetic', op, left, right: this.operand() };
    }
    return left;
  }

  condition(): Condition {
    let left = this.conjunct();
    while (this.acceptWord('OR')) left = { kind: 'or', left, right: this.conjunct() };
    return left;
  }

  private conjunct(): Condition {
    let left = this.negation();
    while (this.acceptWord('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  /** Runs one nested part of the statement, refusing nesting deeper than MAX_DEPTH. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw malformed(`Statement nests deeper than ${MAX_DEPTH} levels`);
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private negation(): Condition {
    return this.nested(() => this.negationAt());
  }

  private negationAt(): Condition {
    if (this.acceptWord('NOT')) return { kind: 'not', operand: this.negation() };
    if (this.acceptWord('EXISTS')) {
      this.expectSymbol('(');
      this.expectWord('SELECT');
      const select = this.select();
      this.expectSymbol(')');
      return { kind: 'exists', select };
    }
    if (this.peekSymbol('(')) {
      // A parenthesised condition; an operand never starts with '(' in this dialect.
      this.position += 1;
      const inner = this.condition();
      this.expectSymbol(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const token = this.peek();
    if (token.type === 'word' && BOOLEAN_FUNCTIONS.has(token.text.toLowerCase()) && this.peekSymbol('(', 1)) {
      this.position += 1;
      return { kind: 'function', name: token.text.toLowerCase(), args: this.arguments() };
    }
    const subject = this.operand();
    const next = this.peek();
    if (next.type === 'symbol' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(next.text)) {
      this.position += 1;
      return { kind: 'compare', op: next.text === '!=' ? '<>' : next.text, left: subject, right: this.operand() };
    }
    const negated = this.acceptWord('NOT');
    if (this.acceptWord('BETWEEN')) {
      const low = this.operand();
      this.expectWord('AND');
      const between: Condition = { kind: 'between', subject, low, high: this.operand() };
      return negated ? { kind: 'not', operand: between } : between;
    }
    if (this.acceptWord('IN')) {
      const close = this.acceptSymbol('(') ? ')' : this.acceptSymbol('[') ? ']' : undefined;
      if (!close) throw this.unexpected();
      const values = [this.operand()];
      while (this.acceptSymbol(',')) values.push(this.operand());
      this.expectSymbol(close);
      const inList: Condition = { kind: 'in', subject, values };
      return negated ? { kind: 'not', operand: inList } : inList;
    }
    if (!negated && this.acceptWord('IS')) {
      const not = this.acceptWord('NOT');
      if (subject.kind !== 'path') throw malformed('IS applies to an attribute path');
      if (this.acceptWord('MISSING')) return { kind: 'missing', path: subject, negated: not };
      if (this.acceptWord('NULL')) return { kind: 'is-null', path: subject, negated: not };
      throw this.unexpected();
    }
    throw this.unexpected();
  }

  private operand(): Operand {
    const token = this.peek();
    if (token.type === 'word' && VALUE_FUNCTIONS.has(token.text.toLowerCase()) && this.peekSymbol('(', 1)) {
      this.position += 1;
      return { kind: 'call', name: token.text.toLowerCase(), args: this.arguments() };
    }
    if (token.type === 'name' || (token.type === 'word' && !KEYWORDS.has(token.text.toUpperCase()))) return this.path();
    return this.value();
  }

  private arguments(): Operand[] {
    this.expectSymbol('(');
    const args = [this.operand()];
    while (this.acceptSymbol(',')) args.push(this.operand());
    this.expectSymbol(')');
    return args;
  }

  private path(): Path {
    const steps: Array<string | number> = [this.name()];
    for (;;) {
      if (this.acceptSymbol('.')) steps.push(this.name());
      else if (this.acceptSymbol('[')) {
        const index = this.next();
        if (index.type !== 'number' || !/^\d+$/.test(index.text)) throw malformed('Expected a list index');
        steps.push(Number(index.text));
        this.expectSymbol(']');
      } else return { kind: 'path', steps };
    }
  }

  private name(): string {
    const token = this.peek();
    if (token.type === 'name') {
      this.position += 1;
      return token.text;
    }
    if (token.type === 'word' && !KEYWORDS.has(token.text.toUpperCase())) {
      this.position += 1;
      return token.text;
    }
    throw token.type === 'word' ? malformed(`Unexpected keyword ${token.text.toUpperCase()}`) : this.unexpected();
  }

  private value(): Value {
    return this.nested(() => this.valueAt());
  }

  private valueAt(): Value {
    const token = this.next();
    switch (token.type) {
      case 'string':
        return { kind: 'string', value: token.text };
      case 'number':
        return { kind: 'number', text: token.text };
      case 'word': {
        const word = token.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'bool', value: word === 'TRUE' };
        if (word === 'NULL') return { kind: 'null' };
        break;
      }
      case 'symbol':
        if (token.text === '?') return { kind: 'param', index: this.parameters++ };
        if (token.text === '-' && this.peek().type === 'number') return { kind: 'number', text: `-${this.next().text}` };
        if (token.text === '[') return { kind: 'list', items: this.values(']') };
        if (token.text === '<<') return { kind: 'set', items: this.values('>>') };
        if (token.text === '{') return this.map();
        break;
    }
    this.position -= 1;
    throw this.unexpected();
  }

  private values(close: string): Value[] {
    const items: Value[] = [];
    if (this.acceptSymbol(close)) return items;
    do items.push(this.value());
    while (this.acceptSymbol(','));
    this.expectSymbol(close);
    return items;
  }

  private map(): Value {
    const entries: Array<[string, Value]> = [];
    if (this.acceptSymbol('}')) return { kind: 'map', entries };
    do {
      const key = this.next();
      // A tuple's attribute names are strings ('...'); a quoted name is accepted as well.
      if (key.type !== 'string' && key.type !== 'name') throw malformed('Expected a string as an attribute name in a tuple');
      this.expectSymbol(':');
      entries.push([key.text, this.value()]);
    } while (this.acceptSymbol(','));
    this.expectSymbol('}');
    return { kind: 'map', entries };
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.position += 1;
    return token;
  }

  private peekSymbol(symbol: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'symbol' && token.text === symbol;
  }

  private acceptSymbol(symbol: string): boolean {
    if (!this.peekSymbol(symbol)) return false;
    this.position += 1;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected(`Expected '${symbol}'`);
  }

  private acceptWord(word: string): boolean {
    const token = this.peek();
    if (token.type !== 'word' || token.text.toUpperCase() !== word) return false;
    this.position += 1;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.unexpected(`Expected ${word}`);
  }

  private unexpected(expected?: string): ServiceError {
    const token = this.peek();
    if (token.type === 'end') return malformed(expected ? `${expected} at end of statement` : 'Unexpected end of statement');
    const what = token.type === 'word' && KEYWORDS.has(token.text.toUpperCase()) ? `keyword ${token.text.toUpperCase()}` : `token '${token.text}'`;
    return malformed(`${expected ? `${expected}, found` : 'Unexpected'} ${what} at position ${token.at + 1}`);
  }
}
