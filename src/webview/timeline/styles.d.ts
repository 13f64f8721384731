// esbuild bundles the stylesheets the script imports into dist/timeline.css.
declare module '*.css';
