// Meeting form: offer only the chosen election's stages, and pick the stage of the meeting's date
// until the user picks one. Without this file the server derives the stage when it is left empty.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-meeting-form]");
  if (!form) return;
  const election = form.querySelector("#election_id");
  const stage = form.querySelector("#stage_id");
  const start = form.querySelector("#start");
  if (!election || !stage || !start) return;
  let chosenByHand = false;

  const stageOptions = () => Array.from(stage.querySelectorAll("option[data-election]"));

  function showElectionStages() {
    stageOptions().forEach((option) => {
      option.hidden = option.disabled = option.dataset.election !== election.value;
    });
    stage.querySelectorAll("optgroup").forEach((group) => {
      group.hidden = !Array.from(group.children).some((option) => !option.hidden);
    });
    if (stage.selectedOptions[0] && stage.selectedOptions[0].hidden) stage.value = "";
  }

  function pickStageOfDate() {
    if (chosenByHand) return;
    const day = start.value.slice(0, 10);
    if (!day) return;
    let best = null;
    stageOptions().forEach((option) => {
      const { start: from, end: until } = option.dataset;
      if (option.hidden || !from || !until || day < from || day > until) return;
      if (!best || from >= best.dataset.start) best = option; // the latest-starting stage wins, as on the server
    });
    stage.value = best ? best.value : "";
  }

  stage.addEventListener("change", () => { chosenByHand = true; });
  election.addEventListener("change", () => { showElectionStages(); pickStageOfDate(); });
  start.addEventListener("change", pickStageOfDate);
  showElectionStages();
});
