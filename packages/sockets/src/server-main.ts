#!/usr/bin/env node
import { runProgram } from './run-program';
import { runServer } from './server';
import { SERVER_USAGE, parseServerArgs } from './server-options';

runProgram('sockspec-server', SERVER_USAGE, parseServerArgs, runServer);
