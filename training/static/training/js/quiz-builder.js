// The quiz builder: add and remove questions and answers in place, and fit the answers to the question's
// kind (true/false: the two fixed answers; short answer: none). Field names: q-<n>-kind/text/points and
// q-<n>-c-<m>-text/correct; the server reads them in the order shown.
(() => {
  const form = document.querySelector(".quiz-builder");
  if (!form) return;
  const questions = document.getElementById("questions");
  const questionTemplate = document.getElementById("question-template");
  const choiceTemplate = document.getElementById("choice-template");

  function fromTemplate(template, replacements) {
    const fragment = template.content.cloneNode(true);
    fragment.querySelectorAll("[name], [id], [for]").forEach((element) => {
      for (const attribute of ["name", "id", "for"]) {
        let value = element.getAttribute(attribute);
        if (!value) continue;
        for (const [placeholder, replacement] of Object.entries(replacements)) {
          value = value.replaceAll(placeholder, replacement);
        }
        element.setAttribute(attribute, value);
      }
    });
    return fragment;
  }

  function addChoice(question, text = "", fixed = false) {
    const index = Number(question.dataset.nextChoice || 0);
    question.dataset.nextChoice = index + 1;
    const row = fromTemplate(choiceTemplate, { __q__: question.dataset.index, __c__: index });
    const input = row.querySelector("input[type=text]");
    input.value = text;
    input.readOnly = fixed;
    row.querySelector("[data-remove-choice]").hidden = fixed;
    question.querySelector("[data-choices]").appendChild(row);
  }

  function fitKind(question) {
    const kind = question.querySelector("[data-kind]").value;
    const choices = question.querySelector("[data-choices]");
    question.querySelector("[data-choices-block]").hidden = kind === "short";
    question.querySelector("[data-short-note]").hidden = kind !== "short";
    question.querySelector("[data-add-choice]").hidden = kind === "true_false";
    if (kind === "true_false") {
      choices.replaceChildren();
      addChoice(question, form.dataset.trueLabel, true);
      addChoice(question, form.dataset.falseLabel, true);
      return;
    }
    choices.querySelectorAll("[data-choice]").forEach((row) => {
      row.querySelector("input[type=text]").readOnly = false;
      row.querySelector("[data-remove-choice]").hidden = false;
    });
    if (kind !== "short") {
      while (choices.querySelectorAll("[data-choice]").length < 2) addChoice(question);
    }
  }

  document.getElementById("add-question").addEventListener("click", () => {
    const index = Number(questions.dataset.nextQuestion);
    questions.dataset.nextQuestion = index + 1;
    questions.appendChild(fromTemplate(questionTemplate, { __q__: index }));
    const question = questions.lastElementChild;
    question.dataset.index = index;
    fitKind(question);
    question.querySelector("textarea").focus();
  });

  form.addEventListener("click", (event) => {
    const question = event.target.closest("[data-question]");
    if (!question) return;
    if (event.target.closest("[data-add-choice]")) addChoice(question);
    else if (event.target.closest("[data-remove-choice]")) event.target.closest("[data-choice]").remove();
    else if (event.target.closest("[data-remove-question]")) question.remove();
  });

  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-kind]")) fitKind(event.target.closest("[data-question]"));
  });
})();
