// The part of prismjs (no bundled types) that the Source panel uses: tokenize only.
declare module 'prismjs' {
  export class Token {
    type: string;
    content: string | Token | (string | Token)[];
    alias?: string | string[];
  }
  export type Grammar = Record<string, unknown>;
  export const languages: Record<string, Grammar | undefined>;
  export function tokenize(text: string, grammar: Grammar): (string | Token)[];
  const Prism: { languages: typeof languages; tokenize: typeof tokenize; manual?: boolean };
  export default Prism;
}
declare module 'prismjs/components/prism-go';
