// Files imported `with { type: "text" }`, which `bun build --compile` embeds in the executable.
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "*.sql" {
  const text: string;
  export default text;
}
