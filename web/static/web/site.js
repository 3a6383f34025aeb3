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

  // Uploads: size and type checked on choosing, before anything is sent (the server checks again).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
    const note = document.createElement("p");
    note.className = "error";
    note.setAttribute("role", "alert");
    note.hidden = true;
    input.after(note);
    const types = (input.accept || "").split(",").map((t) => t.trim().toLowerCase());
    input.addEventListener("change", () => {
      const problems = [];
      Array.from(input.files).forEach((file) => {
        const ext = "." + file.name.split(".").pop().toLowerCase();
        if (file.size > Number(input.dataset.maxBytes)) problems.push(input.dataset.tooBig.replace("{name}", file.name).replace("{limit}", input.dataset.limit));
        else if (!types.includes(ext) && !types.includes((file.type || "").toLowerCase())) problems.push(input.dataset.wrongType.replace("{name}", file.name));
      });
      note.textContent = problems.join(" ");
      note.hidden = problems.length === 0;
      if (problems.length) input.value = "";
    });
  });

  // One submission per click: buttons are disabled once a form is sent; an upload shows that it is under way.
  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      const submitter = event.submitter;
      if (submitter && submitter.name) {  // a disabled button is not sent: keep its value
        const keep = document.createElement("input");
        keep.type = "hidden"; keep.name = submitter.name; keep.value = submitter.value;
        form.appendChild(keep);
      }
      // Downloads (GET forms answering a file) leave the page as it is: keep their buttons usable.
      if ((form.method || "get").toLowerCase() !== "post") return;
      form.querySelectorAll("button, input[type=submit]").forEach((b) => { b.disabled = true; });
      const files = Array.from(form.querySelectorAll("input[type=file]")).flatMap((i) => Array.from(i.files));
      if (files.length) {
        const status = document.createElement("p");
        status.className = "uploading";
        status.setAttribute("role", "status");
        const bar = document.createElement("progress");
        status.append(bar, " ", form.dataset.uploading || "…");
        form.append(status);
      }
    });
  });
});
