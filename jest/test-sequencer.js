// Jest's default order, plus one note for the global setup: whether the selected test files need
// a Temporal server (jest sorts the final list of test files before it runs the global setup).
const Sequencer = require('@jest/test-sequencer').default;
const { needsTemporal } = require('./temporal-scope');

class FlowSteerSequencer extends Sequencer {
  sort(tests) {
    process.env.FLOWSTEER_TEST_NEEDS_TEMPORAL = needsTemporal(tests.map((t) => t.path)) ? '1' : '0';
    return super.sort(tests);
  }
}

module.exports = FlowSteerSequencer;
