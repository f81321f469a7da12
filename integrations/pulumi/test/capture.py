"""Runs a Pulumi Python program under Pulumi's own mocks and prints, as JSON, every resource
the program registers: its type, name and inputs exactly as the SDK sends them.

    python capture.py PROGRAM_DIR  >  resources.json

Secret inputs come out of the mocks in Pulumi's wire form of a secret
({"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": ...}), which the
policy tests send on as the engine does. Numbers are floats (`3.0`), as the SDK sends them.
"""
import json
import os
import runpy
import sys

import pulumi

captured = []


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        captured.append({"type": args.typ, "name": args.name, "inputs": args.inputs})
        return [args.name + "-id", args.inputs]

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


pulumi.runtime.set_mocks(Mocks(), project="claimcheck", stack="test", preview=False)


@pulumi.runtime.test
def run():
    program = sys.argv[1]
    sys.path.insert(0, program)
    runpy.run_path(os.path.join(program, "__main__.py"), run_name="__main__")


run()
json.dump(captured, sys.stdout, indent=1)
sys.stdout.write("\n")
