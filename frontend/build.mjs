// Builds the public front end into portal/static_build/ (served through Django's STATICFILES_DIRS).
//
//   node frontend/build.mjs        (or: npm run build, make assets)
//
// - frontend/scss/main.scss → css/main.css: GOV.UK Frontend re-themed, compiled with the sass JS API, compressed.
// - GOV.UK Frontend's ES module bundle → js/govuk-frontend.min.js (+ its source map, which Django's manifest
//   storage expects to find because the bundle ends with a sourceMappingURL comment).
// - frontend/js/portal.mjs → js/portal.mjs: initialises the components; the site works without it.
// - GOV.UK Frontend's images and manifest → assets/ (its fonts are not copied: the theme uses Montserrat).
// - Montserrat woff2 files (latin, latin-ext; 400, 600, 700) from @fontsource/montserrat → fonts/.
// - frontend/images/ → images/ (the portal's own favicon).
//
// The output folder is rebuilt from scratch on every run so that nothing stale is ever served.

import { copyFile, cp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = path.join(root, "node_modules");
const govuk = path.join(nodeModules, "govuk-frontend", "dist", "govuk");
const fontsource = path.join(nodeModules, "@fontsource", "montserrat", "files");
const out = path.join(root, "portal", "static_build");

const FONT_SUBSETS = ["latin", "latin-ext"];
const FONT_WEIGHTS = [400, 600, 700];

async function buildCss() {
  const result = await sass.compileAsync(path.join(root, "frontend", "scss", "main.scss"), {
    loadPaths: [nodeModules],
    style: "compressed",
    sourceMap: false,
    // GOV.UK Frontend's own deprecation notices are not ours to fix.
    quietDeps: true,
  });
  await mkdir(path.join(out, "css"), { recursive: true });
  await writeFile(path.join(out, "css", "main.css"), result.css + "\n");
  return result.css.length;
}

async function copyJavaScript() {
  const dir = path.join(out, "js");
  await mkdir(dir, { recursive: true });
  await copyFile(path.join(govuk, "govuk-frontend.min.js"), path.join(dir, "govuk-frontend.min.js"));
  await copyFile(path.join(govuk, "govuk-frontend.min.js.map"), path.join(dir, "govuk-frontend.min.js.map"));
  await copyFile(path.join(root, "frontend", "js", "portal.mjs"), path.join(dir, "portal.mjs"));
}

async function copyAssets() {
  const dir = path.join(out, "assets");
  await mkdir(dir, { recursive: true });
  await cp(path.join(govuk, "assets", "images"), path.join(dir, "images"), { recursive: true });
  await copyFile(path.join(govuk, "assets", "manifest.json"), path.join(dir, "manifest.json"));
  await cp(path.join(root, "frontend", "images"), path.join(out, "images"), { recursive: true });
}

async function copyFonts() {
  const dir = path.join(out, "fonts");
  await mkdir(dir, { recursive: true });
  const names = [];
  for (const subset of FONT_SUBSETS) {
    for (const weight of FONT_WEIGHTS) {
      const name = `montserrat-${subset}-${weight}-normal.woff2`;
      await copyFile(path.join(fontsource, name), path.join(dir, name));
      names.push(name);
    }
  }
  return names;
}

async function main() {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const cssBytes = await buildCss();
  await copyJavaScript();
  await copyAssets();
  const fonts = await copyFonts();
  const files = await readdir(out, { recursive: true });
  console.log(`front end built: css/main.css ${cssBytes} bytes, ${fonts.length} fonts, ${files.length} entries in ${path.relative(root, out)}/`);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
