/* A stop's captions under its player: the recording's WebVTT cue as it plays (an <audio> element
   shows no captions itself). Without JavaScript the full text is on the page below. */
(function () {
  "use strict";
  var audio = document.querySelector("audio[data-captions-to]");
  if (!audio || !audio.textTracks || !audio.textTracks.length) { return; }
  var line = document.getElementById(audio.getAttribute("data-captions-to"));
  var track = audio.textTracks[0];
  track.mode = "hidden";
  track.addEventListener("cuechange", function () {
    var cues = track.activeCues;
    line.textContent = cues && cues.length ? cues[cues.length - 1].text : "";
  });
})();
