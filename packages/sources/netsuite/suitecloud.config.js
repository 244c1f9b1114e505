// SuiteCloud CLI for Node project configuration: `suitecloud project:deploy` from this folder.
module.exports = {
  defaultProjectFolder: 'src',
  commands: {},
};
