// Issue forms: offer only the stages and meetings of the chosen election; show an action's due date only for actions.
document.addEventListener("DOMContentLoaded", () => {
  const election = document.querySelector("select[data-stage-filter]");
  if (election) {
    const dependants = ["stage_id", "meeting_id"].map((id) => document.getElementById(id)).filter(Boolean);
    const apply = () => {
      dependants.forEach((select) => {
        select.querySelectorAll("option[data-election]").forEach((option) => {
          const other = option.dataset.election !== election.value;
          option.hidden = other;
          option.disabled = other;
          if (other && option.selected) select.value = "";
        });
        select.querySelectorAll("optgroup").forEach((group) => {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
      });
    };
    election.addEventListener("change", apply);
    apply();
  }
  const kinds = document.querySelectorAll("input[data-followup-kind]");
  const actionOnly = document.querySelectorAll(".action-only");
  if (kinds.length && actionOnly.length) {
    const show = () => {
      const checked = document.querySelector("input[data-followup-kind]:checked");
      actionOnly.forEach((el) => { el.hidden = !checked || checked.value !== "action"; });
    };
    kinds.forEach((input) => input.addEventListener("change", show));
    show();
  }
});
