'use strict';
// Runs a Pulumi JavaScript program under Pulumi's own mocks and prints, as JSON, every resource
// the program registers: its type, name and inputs exactly as the SDK sends them.
//
//   node capture.cjs PROGRAM_DIR  >  resources.json
const path = require('node:path');
const pulumi = require('@pulumi/pulumi');

const captured = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      captured.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      return args.inputs;
    },
  },
  'claimcheck',
  'test',
  false,
);

const program = require(path.resolve(process.argv[2]));
pulumi.all(program.resources.map((r) => r.urn)).apply(() => {
  process.stdout.write(JSON.stringify(captured, null, 1) + '\n');
});
