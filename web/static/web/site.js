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
        else if (file.size === 0 && input.dataset.empty) problems.push(input.dataset.empty.replace("{name}", file.name));
        else if (!types.includes(ext) && !types.includes((file.type || "").toLowerCase())) problems.push(input.dataset.wrongType.replace("{name}", file.name));
      });
      note.textContent = problems.join(" ");
      note.hidden = problems.length === 0;
      if (problems.length) input.value = "";
    });
  });

  // Files kept from a refused submission (templates/web/kept_uploads.html): without JS a ticked box sends a
  // kept file back; with JS the box gives way to "已上传：name (size) — 移除".
  document.querySelectorAll("ul.kept-uploads").forEach((list) => {
    list.querySelectorAll("input[data-kept]").forEach((box) => {
      box.hidden = true;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = list.dataset.removeLabel;
      remove.setAttribute("aria-label", `${list.dataset.removeLabel}: ${box.parentElement.textContent.trim()}`);
      remove.addEventListener("click", () => box.closest("li").remove());
      box.closest("li").append(" — ", remove);
    });
  });

  // The monthly report's PDF is made by a worker (web/report_pdf.py): ask every 2 s whether it is stored,
  // then show the download link. Without JS, "check again" reloads the page.
  document.querySelectorAll("[data-pdf-status]").forEach((box) => {
    let tries = 0;
    const ask = () => {
      tries += 1;
      fetch(box.dataset.pdfStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { ready: false }))
        .then((answer) => {
          if (answer.ready) {
            box.querySelector("[data-pdf-ready]").hidden = false;
            box.querySelector("[data-pdf-waiting]")?.remove();
          } else if (tries < 90) {
            window.setTimeout(ask, 2000);
          }
        })
        .catch(() => { if (tries < 90) window.setTimeout(ask, 2000); });
    };
    window.setTimeout(ask, 1000);
  });

  // One submission per click: buttons are disabled once a form is sent. A form with files is sent by
  // XMLHttpRequest so its upload progress is real (bytes sent of the total); the answer then replaces the
  // page as a normal submission would. Without JS the form posts as usual.
  const disable = (form, on) => form.querySelectorAll("button, input[type=submit]").forEach((b) => { b.disabled = on; });

  const upload = (form, submitter) => {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const status = document.createElement("p");
    status.className = "uploading";
    status.setAttribute("role", "status");
    status.dataset.testid = "upload-progress";
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const label = document.createElement("span");
    label.textContent = `${form.dataset.uploading || "…"} 0 %`;
    status.append(bar, " ", label);
    form.append(status);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.floor((event.loaded / event.total) * 100);
      bar.value = percent;
      label.textContent = `${form.dataset.uploading || "…"} ${percent} %`;
      form.dataset.uploadedPercent = String(percent);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status >= 500) { failed(); return; }
      // The answer is the next page (after a redirect) or the form again with its errors: show it, and give
      // the address bar the page's own address.
      const html = xhr.responseText;
      const url = xhr.responseURL || window.location.href;
      document.open();
      document.write(html);
      document.close();
      if (url !== window.location.href) window.history.replaceState(null, "", url);
    });
    const failed = () => {
      status.remove();
      disable(form, false);
      const note = document.createElement("p");
      note.className = "error";
      note.setAttribute("role", "alert");
      note.textContent = form.dataset.uploadFailed || "!";
      form.append(note);
    };
    xhr.addEventListener("error", failed);
    xhr.send(data);
  };

  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      const submitter = event.submitter;
      // Downloads (GET forms answering a file) leave the page as it is: keep their buttons usable.
      if ((form.method || "get").toLowerCase() !== "post") return;
      const files = Array.from(form.querySelectorAll("input[type=file]")).flatMap((i) => Array.from(i.files));
      if (files.length && window.FormData && window.XMLHttpRequest) {
        event.preventDefault();
        disable(form, true);
        upload(form, submitter);
        return;
      }
      if (submitter && submitter.name) {  // a disabled button is not sent: keep its value
        const keep = document.createElement("input");
        keep.type = "hidden"; keep.name = submitter.name; keep.value = submitter.value;
        form.appendChild(keep);
      }
      disable(form, true);
    });
  });
});
