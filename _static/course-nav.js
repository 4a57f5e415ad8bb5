// The sidebar buttons a reader can see must work (pydata-sphinx-theme issue 2451).
// pydata-sphinx-theme 0.17.1 and sphinx-book-theme 1.3.0 bind their click handlers with
// document.querySelector(".primary-toggle"), i.e. to the FIRST such button, which in this layout is a hidden
// one in the top navbar. This binds every other toggle to the same two behaviours: on a wide screen the
// primary toggle collapses or restores the sidebar; on a narrow one a toggle opens its sidebar as a drawer
// (the theme's own <dialog>, whose close handler already moves the content back).
(function () {
  "use strict";

  function moveContent(from, to) {
    Array.from(from.childNodes).forEach((node) => to.appendChild(node));
    Array.from(from.classList).forEach((cls) => {
      from.classList.remove(cls);
      to.classList.add(cls);
    });
  }

  function bind(selector, sidebarId, collapsible) {
    const first = document.querySelector(selector);  // already handled by the themes
    const sidebar = document.getElementById(sidebarId);
    const dialog = document.getElementById(sidebarId + "-modal");
    if (!sidebar || !dialog) return;
    document.querySelectorAll(selector).forEach((button) => {
      if (button === first) return;
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        button.blur();
        if (collapsible && window.matchMedia("(min-width: 992px)").matches) {
          sidebar.classList.toggle("pst-sidebar-hidden");
          return;
        }
        moveContent(sidebar, dialog);
        dialog.showModal();
      });
    });
  }

  function setup() {
    bind(".primary-toggle", "pst-primary-sidebar", true);
    bind(".secondary-toggle", "pst-secondary-sidebar", false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
