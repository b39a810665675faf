#!/usr/bin/env node
import { runClient } from './client';
import { CLIENT_USAGE, parseClientArgs } from './client-options';
import { runProgram } from './run-program';

runProgram('sockspec-client', CLIENT_USAGE, parseClientArgs, runClient);
