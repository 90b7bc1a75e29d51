// app.js is served to the browser, and imported by the server as text (see ../assets.ts).
declare const text: string;
export default text;
