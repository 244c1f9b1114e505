/**
 * @module Reads the sfdx project's Apex with `@apexdevtools/apex-parser`: syntax errors per file,
 * and an outline of each class (methods, their annotations, modifiers and signatures, the types a
 * class implements, the calls it makes) so CI can assert structure, not just syntax.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  ApexErrorListener,
  ApexParserBaseListener,
  ApexParserFactory,
  type ApexParserRuleContext,
  ApexParseTreeWalker,
  type ClassDeclarationContext,
  type CreatorContext,
  DotExpressionContext,
  type DotMethodCallContext,
  type MethodCallContext,
  type MethodDeclarationContext,
  type ModifierContext,
} from '@apexdevtools/apex-parser';

type ParserRuleContext = ApexParserRuleContext;

export interface ApexSyntaxIssue {
  line: number;
  column: number;
  message: string;
}

export interface ApexMethod {
  name: string;
  /** Lower-cased keywords: `global`, `public`, `static`, … */
  modifiers: string[];
  /** Annotation source as written, whitespace removed, e.g. `@InvocableMethod(label='…')`. */
  annotations: string[];
  /** The declared return type as written, `void` for none. */
  returns: string;
  /** Parameter types as written, e.g. `List<Request>`. */
  parameters: string[];
}

export interface ApexClass {
  name: string;
  /** Enclosing class for inner classes. */
  outer: string | undefined;
  modifiers: string[];
  annotations: string[];
  implements: string[];
  methods: ApexMethod[];
}

export interface ApexOutline {
  kind: 'class' | 'trigger';
  path: string;
  errors: ApexSyntaxIssue[];
  classes: ApexClass[];
  /** Every call in the file as `qualifier.method` or `method`, whitespace removed (`new Http().send`). */
  calls: string[];
  /** Every `new X(` constructor call's type name. */
  constructed: string[];
}

class CollectingErrors extends ApexErrorListener {
  readonly issues: ApexSyntaxIssue[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.issues.push({ line, column, message });
  }
}

const textOf = (ctx: ParserRuleContext | null | undefined): string => (ctx ? ctx.getText() : '');

const modifiersOf = (mods: ModifierContext[]) => ({
  modifiers: mods.filter((m) => !m.annotation()).map((m) => textOf(m).toLowerCase()),
  annotations: mods.flatMap((m) => {
    const a = m.annotation();
    return a ? [textOf(a)] : [];
  }),
});

/** Modifiers sit on the enclosing `classBodyDeclaration` / `typeDeclaration` / trigger member. */
const declarationModifiers = (ctx: ParserRuleContext): ModifierContext[] => {
  let node: ParserRuleContext | null | undefined = ctx.parentCtx;
  while (node) {
    const candidate = node as ParserRuleContext & { modifier_list?: () => ModifierContext[] };
    if (typeof candidate.modifier_list === 'function') return candidate.modifier_list();
    node = node.parentCtx;
  }
  return [];
};

class OutlineListener extends ApexParserBaseListener {
  readonly classes: ApexClass[] = [];
  readonly calls: string[] = [];
  readonly constructed: string[] = [];
  private readonly stack: ApexClass[] = [];

  enterClassDeclaration = (ctx: ClassDeclarationContext): void => {
    const { modifiers, annotations } = modifiersOf(declarationModifiers(ctx));
    const implemented =
      ctx
        .typeList()
        ?.typeRef_list()
        .map((t) => textOf(t)) ?? [];
    const cls: ApexClass = {
      name: textOf(ctx.id()),
      outer: this.stack.at(-1)?.name,
      modifiers,
      annotations,
      implements: implemented,
      methods: [],
    };
    this.classes.push(cls);
    this.stack.push(cls);
  };

  exitClassDeclaration = (): void => {
    this.stack.pop();
  };

  enterMethodDeclaration = (ctx: MethodDeclarationContext): void => {
    const { modifiers, annotations } = modifiersOf(declarationModifiers(ctx));
    const params =
      ctx
        .formalParameters()
        .formalParameterList()
        ?.formalParameter_list()
        .map((p) => textOf(p.typeRef())) ?? [];
    this.stack.at(-1)?.methods.push({
      name: textOf(ctx.id()),
      modifiers,
      annotations,
      returns: ctx.VOID() ? 'void' : textOf(ctx.typeRef()),
      parameters: params,
    });
  };

  enterDotMethodCall = (ctx: DotMethodCallContext): void => {
    const parent = ctx.parentCtx;
    // `a.b(...)` is a DotExpression whose expression is the qualifier.
    const qualifier = parent instanceof DotExpressionContext ? textOf(parent.expression()) : '';
    const name = textOf(ctx.anyId());
    this.calls.push(qualifier ? `${qualifier}.${name}` : name);
  };

  enterMethodCall = (ctx: MethodCallContext): void => {
    this.calls.push(textOf(ctx.id()));
  };

  enterCreator = (ctx: CreatorContext): void => {
    this.constructed.push(textOf(ctx.createdName()).replace(/<.*$/, ''));
  };
}

/** Parses one `.cls` or `.trigger` source. */
export const outlineApex = (source: string, kind: 'class' | 'trigger', path = ''): ApexOutline => {
  const errors = new CollectingErrors();
  const { parser } = ApexParserFactory.createLexerAndParser(source, errors);
  const tree = kind === 'class' ? parser.compilationUnit() : parser.triggerUnit();
  const listener = new OutlineListener();
  if (errors.issues.length === 0) ApexParseTreeWalker.DEFAULT.walk(listener, tree);
  return {
    kind,
    path,
    errors: errors.issues,
    classes: listener.classes,
    calls: listener.calls,
    constructed: listener.constructed,
  };
};

/** Every `.cls` and `.trigger` under `dir`, outlined, with paths relative to `dir`. */
export const outlineApexTree = (dir: string): ApexOutline[] =>
  (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((p) => p.endsWith('.cls') || p.endsWith('.trigger'))
    .sort()
    .map((p) => {
      const full = join(dir, p);
      return outlineApex(
        readFileSync(full, 'utf8'),
        p.endsWith('.cls') ? 'class' : 'trigger',
        relative(dir, full),
      );
    });
