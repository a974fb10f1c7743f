// Highlighting an interview: selecting words in the transcript fills the
// new highlight's quote. The form works without it (paste the words).
(function () {
  "use strict";
  var transcript = document.getElementById("transcript");
  var quote = document.getElementById("hl-quote");
  if (!transcript || !quote) return;
  transcript.addEventListener("mouseup", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !transcript.contains(sel.anchorNode)) return;
    var text = sel.toString().trim();
    if (text) {
      quote.value = text;
      quote.focus();
    }
  });
})();
