// Minimal behaviour: table labels on phones, bulk-claim checkboxes, confirmation of irreversible actions.
document.addEventListener("DOMContentLoaded", () => {
  // Phone width stacks table rows into cards (site.css); each cell shows its column's name.
  document.querySelectorAll("table.list").forEach((table) => {
    const heads = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((tr) => {
      Array.from(tr.children).forEach((td, i) => {
        if (heads[i] && !td.hasAttribute("data-label") && !td.hasAttribute("colspan")) td.dataset.label = heads[i];
      });
    });
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
