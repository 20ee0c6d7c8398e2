// "Add a row" for Django formsets: clones the formset's empty form (a <template>) and bumps TOTAL_FORMS.
// Markup: a container [data-formset="prefix"] holding [data-formset-rows], a <template data-formset-empty>
// and a button [data-formset-add].
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  const formset = button.closest("[data-formset]");
  const prefix = formset.dataset.formset;
  const total = formset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const index = Number(total.value);
  const row = formset.querySelector("template[data-formset-empty]").content.cloneNode(true);
  row.querySelectorAll("[name], [id], [for]").forEach((element) => {
    for (const attribute of ["name", "id", "for"]) {
      const value = element.getAttribute(attribute);
      if (value) element.setAttribute(attribute, value.replaceAll("__prefix__", index));
    }
  });
  formset.querySelector("[data-formset-rows]").appendChild(row);
  total.value = index + 1;
});
