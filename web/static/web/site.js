// Minimal behaviour: language switch, bulk-claim checkboxes, confirmation of irreversible actions.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  document.querySelectorAll("form[data-bulk]").forEach((form) => {
    const boxes = () => Array.from(form.querySelectorAll('input[name="task"]'));
    const button = form.querySelector('button[type="submit"]');
    const count = form.querySelector("[data-selected-count]");
    const refresh = () => {
      const n = boxes().filter((b) => b.checked).length;
      button.disabled = n === 0;
      if (count) count.textContent = n ? `(${n})` : "";
    };
    form.querySelector("[data-select-all]")?.addEventListener("change", (event) => {
      boxes().forEach((b) => { b.checked = event.target.checked; });
      refresh();
    });
    form.addEventListener("change", refresh);
    refresh();
  });

  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
