// What Went Wrong? - keeps key presses inside an exercise in that exercise.
//
// JupyterLab finds a keyboard shortcut by walking up from the focused element and stops at an element carrying
// data-lm-suppress-shortcuts, but it tests the focused element itself before that attribute, so the mark must be on
// the element that has focus. A student's arrow keys on a multiple-choice or continuum option would otherwise move
// the notebook's cell selection (and "d d" would delete a cell): whenever focus lands inside an exercise or a control
// panel of the collection (classes www-exercise, www-controls and www-report, set in helpers/exercises/base.py,
// helpers/classroom.py and helpers/classview.py), the focused element gets the attribute, and keys do what they do
// in any web form: arrows move between radio options.
const MARK = 'data-lm-suppress-shortcuts';
const BOXES = '.www-exercise, .www-controls, .www-report';

function keepKeysInside(event) {
  const target = event.target;
  if (target && target.closest && target.closest(BOXES) && !target.hasAttribute(MARK)) {
    target.setAttribute(MARK, 'true');
  }
}

module.exports = {
  id: 'what-went-wrong-keys:plugin',
  description: 'Keeps key presses inside an exercise of the What Went Wrong? collection in that exercise.',
  autoStart: true,
  activate: () => {
    document.addEventListener('focusin', keepKeysInside, true);
  }
};
