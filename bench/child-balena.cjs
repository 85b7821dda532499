// balena's libraries doing what `preflash configure --in-place` does, as a whole process (for the
// start-up comparison): write config.json with balena-config-json, every other file with
// balena-image-fs. The files come from the parent as JSON ({ path, base64 }[]).
const { readFileSync } = require('node:fs');
const { promisify } = require('node:util');
const { createRequire } = require('node:module');
const { join } = require('node:path');

const load = createRequire(join(__dirname, '.deps/package.json'));
const [target, filesJson] = process.argv.slice(2);
const imagefs = load('balena-image-fs');
const configJson = load('balena-config-json');

(async () => {
  for (const f of JSON.parse(readFileSync(filesJson, 'utf8'))) {
    const content = Buffer.from(f.base64, 'base64');
    if (f.path === 'config.json') {
      await configJson.write(target, undefined, JSON.parse(content.toString('utf8')));
    } else {
      await imagefs.interact(target, 1, async (fs) => {
        const dir = f.path.split('/').slice(0, -1).join('/');
        if (dir) await promisify(fs.mkdir)(`/${dir}`).catch(() => undefined);
        await promisify(fs.writeFile)(`/${f.path}`, content);
      });
    }
  }
})();
