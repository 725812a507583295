// Builds the API (and its operator CLI) for Node. Decorator metadata must survive the build
// (Nest DI and TypeORM read it), so TypeScript is compiled by ts-loader, not esbuild.
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');
const nodeExternals = require('webpack-node-externals');

const root = resolve(__dirname, '../..');
const tsconfig = join(__dirname, 'tsconfig.app.json');
const commonPasswords = join(__dirname, 'src/infra/auth/common-passwords.txt');

/**
 * Emits the common-password list as `common-passwords.txt` next to main.js, where
 * `infra/auth/common-passwords.ts` reads it at run time. An emitted asset (not a copy after the
 * build) survives `output.clean`, and a missing file fails the build.
 */
class CommonPasswordsPlugin {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('CommonPasswordsPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'CommonPasswordsPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          compilation.fileDependencies.add(commonPasswords);
          compilation.emitAsset(
            'common-passwords.txt',
            new sources.RawSource(readFileSync(commonPasswords)),
          );
        },
      );
    });
  }
}

module.exports = {
  mode: 'production',
  target: 'node20',
  context: root,
  entry: {
    main: './apps/api/src/main.ts',
    cli: './apps/api/src/cli.ts',
  },
  output: {
    path: join(root, 'dist/apps/api'),
    filename: '[name].js',
    library: { type: 'commonjs2' },
    clean: true,
  },
  devtool: 'source-map',
  // Keep real __filename/__dirname (used to locate the embedded PostgreSQL binaries).
  node: { __dirname: false, __filename: false },
  externalsPresets: { node: true },
  externals: [nodeExternals({ modulesDir: join(root, 'node_modules') })],
  resolve: {
    extensions: ['.ts', '.js'],
    plugins: [new TsconfigPathsPlugin({ configFile: tsconfig })],
  },
  module: {
    rules: [
      {
        test: /\.ts$/,
        loader: 'ts-loader',
        exclude: /node_modules/,
        options: { configFile: tsconfig, transpileOnly: true },
      },
    ],
  },
  optimization: {
    // Class names matter at runtime (TypeORM migration names, Nest providers): do not minify.
    minimize: false,
    splitChunks: false,
  },
  plugins: [new CommonPasswordsPlugin()],
  performance: { hints: false },
  stats: 'errors-warnings',
};
