"""Admin pages for elections and their ordered stages."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coordapp.auth.access import role_required
from coordapp.elections import bp, services
from coordapp.elections.forms import ElectionForm, StageForm
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db


@bp.get("/admin/elections")
@role_required("admin")
def elections():
    """List elections."""
    rows = db.session.execute(db.select(Election).order_by(Election.id.desc())).scalars().all()
    return render_template("elections/list.html", elections=rows)


def _slug_taken(slug: str, election_id: int | None) -> bool:
    query = db.select(Election.id).where(Election.slug == slug)
    if election_id:
        query = query.where(Election.id != election_id)
    return db.session.execute(query).first() is not None


@bp.route("/admin/elections/new", methods=["GET", "POST"])
@role_required("admin")
def create_election():
    """Create an election, optionally with the Pilkada stages."""
    form = ElectionForm()
    if form.validate_on_submit() and not _slug_taken(form.slug.data, None):
        election = Election()
        form.populate_obj(election)
        if form.template.data:
            services.seed_stages(election, form.template.data)
        db.session.add(election)
        db.session.commit()
        flash(_("Election created."), "success")
        return redirect(url_for("elections.stages", election_id=election.id))
    if form.is_submitted() and form.slug.data and _slug_taken(form.slug.data, None):
        form.slug.errors = list(form.slug.errors) + [_("This short code is already used.")]
    return render_template("elections/form.html", form=form, election=None), 422 if form.errors else 200


@bp.route("/admin/elections/<int:election_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit_election(election_id: int):
    """Edit an election's name, region, timezone, voting day and active flag."""
    election = db.get_or_404(Election, election_id)
    form = ElectionForm(obj=election)
    del form.template
    if form.validate_on_submit() and not _slug_taken(form.slug.data, election.id):
        form.populate_obj(election)
        db.session.commit()
        flash(_("Election saved."), "success")
        return redirect(url_for("elections.stages", election_id=election.id))
    if form.is_submitted() and form.slug.data and _slug_taken(form.slug.data, election.id):
        form.slug.errors = list(form.slug.errors) + [_("This short code is already used.")]
    return render_template("elections/form.html", form=form, election=election), 422 if form.errors else 200


@bp.get("/admin/elections/<int:election_id>/stages")
@role_required("admin")
def stages(election_id: int):
    """List an election's stages in order, with links to edit and move them."""
    election = db.get_or_404(Election, election_id)
    return render_template("elections/stages.html", election=election)


def _stage_form_page(election: Election, stage: Stage | None):
    form = StageForm(obj=stage)
    if form.validate_on_submit():
        clash = db.session.execute(
            db.select(Stage.id).where(
                Stage.election_id == election.id, Stage.code == form.code.data, Stage.id != (stage.id if stage else -1)
            )
        ).first()
        if clash:
            form.code.errors.append(_("Another stage of this election has this code."))
        else:
            if stage is None:
                stage = Stage(position=len(election.stages) + 1)
                election.stages.append(stage)
            form.populate_obj(stage)
            db.session.commit()
            flash(_("Stage saved."), "success")
            return redirect(url_for("elections.stages", election_id=election.id))
    return render_template(
        "elections/stage_form.html", form=form, election=election, stage=stage
    ), 422 if form.errors else 200


@bp.route("/admin/elections/<int:election_id>/stages/new", methods=["GET", "POST"])
@role_required("admin")
def create_stage(election_id: int):
    """Add a stage at the end of an election's list."""
    return _stage_form_page(db.get_or_404(Election, election_id), None)


@bp.route("/admin/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit_stage(stage_id: int):
    """Edit a stage's code, names, phase and dates."""
    stage = db.get_or_404(Stage, stage_id)
    return _stage_form_page(stage.election, stage)


@bp.post("/admin/stages/<int:stage_id>/move")
@role_required("admin")
def move_stage(stage_id: int):
    """Move a stage one place up or down in its election's order."""
    stage = db.get_or_404(Stage, stage_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    ordered = list(stage.election.stages)
    index = ordered.index(stage)
    other = index + step
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            item.position = position
        db.session.commit()
    return redirect(url_for("elections.stages", election_id=stage.election_id))
