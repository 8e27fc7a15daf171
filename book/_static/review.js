/* On every page: show the version line of this build (from review-version.js, one small file,
   so pages need not be rewritten when only the version changes). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var holder = document.getElementById("review-version");
  if (holder && window.reviewVersion) holder.textContent = window.reviewVersion;
});
