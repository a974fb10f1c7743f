package http

import (
	"context"
	"net/http"
	"reflect"
	"strings"

	"github.com/tandem-pm/tandem"
)

// resource is a collection of workspace entities with the usual five
// operations: list, create, get, merge-patch and delete. T is the entity,
// U its XxxUpdate and F its XxxFilter.
type resource[T any, U any, F any] struct {
	Path string            // collection path segment: "items"
	Name string            // singular, for messages and operation IDs: "item"
	Edit tandem.Permission // what writes need
	// DeletePerm, when set, is what deletes need instead of Edit: as in the
	// UI, contributors edit items but only managers delete them.
	DeletePerm tandem.Permission
	ReadOnly   []string // fields a create body may carry but that are ignored (besides Meta's)

	// The store's methods, as method expressions (tandem.Store.FindItemByID),
	// so that they are bound to s.Store only when called.
	Find   func(st tandem.Store, ctx context.Context, ws, id string) (*T, error)
	List   func(st tandem.Store, ctx context.Context, ws string, f F) ([]*T, string, error)
	Create func(st tandem.Store, ctx context.Context, ws string, x *T) error
	Update func(st tandem.Store, ctx context.Context, ws, id string, u U, version int64) (*T, error)
	Delete func(st tandem.Store, ctx context.Context, ws, id string) error

	s *Server

	// Prepare, when set, fills a new entity's server-side fields.
	Prepare func(rq *request, x *T)
	// MayModify, when set, is asked before an update or delete of x.
	MayModify func(rq *request, x *T) error
}

func (s *Server) resourceEndpoints() []endpoint {
	type st = tandem.Store
	var eps []endpoint
	eps = append(eps, resource[tandem.Goal, tandem.GoalUpdate, tandem.GoalFilter]{
		Path: "goals", Name: "goal", Edit: tandem.PermEditAll, ReadOnly: []string{"progress"},
		Find: st.FindGoalByID, List: st.FindGoals, Create: st.CreateGoal, Update: st.UpdateGoal, Delete: st.DeleteGoal,
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.KeyResult, tandem.KeyResultUpdate, tandem.KeyResultFilter]{
		Path: "key_results", Name: "key result", Edit: tandem.PermEditAll, ReadOnly: []string{"current", "progress"},
		Find: st.FindKeyResultByID, List: st.FindKeyResults, Create: st.CreateKeyResult, Update: st.UpdateKeyResult, Delete: st.DeleteKeyResult,
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.Program, tandem.ProgramUpdate, tandem.ProgramFilter]{
		Path: "programs", Name: "program", Edit: tandem.PermEditAll,
		Find: st.FindProgramByID, List: st.FindPrograms, Create: st.CreateProgram, Update: st.UpdateProgram, Delete: st.DeleteProgram,
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.Project, tandem.ProjectUpdate, tandem.ProjectFilter]{
		Path: "projects", Name: "project", Edit: tandem.PermEditAll,
		Find: st.FindProjectByID, List: st.FindProjects, Create: st.CreateProject, Update: st.UpdateProject, Delete: st.DeleteProject,
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.Product, tandem.ProductUpdate, tandem.ProductFilter]{
		Path: "products", Name: "product", Edit: tandem.PermEditAll,
		Find: st.FindProductByID, List: st.FindProducts, Create: st.CreateProduct, Update: st.UpdateProduct, Delete: st.DeleteProduct,
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.Item, tandem.ItemUpdate, tandem.ItemFilter]{
		Path: "items", Name: "item", Edit: tandem.PermEditItems, DeletePerm: tandem.PermEditAll,
		Find: st.FindItemByID, List: st.FindItems, Create: st.CreateItem, Update: st.UpdateItem, Delete: st.DeleteItem,
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.Dependency, tandem.DependencyUpdate, tandem.DependencyFilter]{
		Path: "dependencies", Name: "dependency", Edit: tandem.PermEditItems,
		Find: st.FindDependencyByID, List: st.FindDependencies, Create: st.CreateDependency, Update: st.UpdateDependency, Delete: st.DeleteDependency,
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.Comment, tandem.CommentUpdate, tandem.CommentFilter]{
		Path: "comments", Name: "comment", Edit: tandem.PermEditItems, ReadOnly: []string{"author_id", "author_name"},
		Find: st.FindCommentByID, List: st.FindComments, Create: st.CreateComment, Update: st.UpdateComment, Delete: st.DeleteComment,
		Prepare: func(rq *request, c *tandem.Comment) {
			c.AuthorID, c.AuthorName = rq.User.ID, rq.User.Name
		},
		MayModify: func(rq *request, c *tandem.Comment) error {
			// Contributors may comment, but only managers may change what others wrote.
			if c.AuthorID == rq.User.ID || rq.Member.Role.Can(tandem.PermEditAll) {
				return nil
			}
			return tandem.Errorf(tandem.EForbidden, "Only the author or a manager can change this comment.")
		},
		s: s,
	}.endpoints()...)
	return eps
}

var metaFields = []string{"id", "workspace_id", "version", "created_at", "updated_at"}

// metaOf returns the Meta that every entity embeds.
func metaOf(x any) *tandem.Meta {
	return reflect.ValueOf(x).Elem().FieldByName("Meta").Addr().Interface().(*tandem.Meta)
}

func (res resource[T, U, F]) endpoints() []endpoint {
	coll := "/api/v1/workspaces/{ws}/" + res.Path
	one := coll + "/{id}"
	title, plural := camel(res.Name), camel(strings.ReplaceAll(res.Path, "_", " "))
	deletePerm := res.Edit
	if res.DeletePerm != 0 {
		deletePerm = res.DeletePerm
	}
	t, u, f := reflect.TypeFor[T](), reflect.TypeFor[U](), reflect.TypeFor[F]()
	return []endpoint{
		{route: route{Method: "GET", Pattern: coll, Perm: tandem.PermRead, Handle: res.handleList},
			ID: "list" + plural, Summary: "List " + strings.ReplaceAll(res.Path, "_", " "), Tag: res.Path,
			Query: f, Resp: t, List: true, Status: 200},
		{route: route{Method: "POST", Pattern: coll, Perm: res.Edit, Handle: res.handleCreate},
			ID: "create" + title, Summary: "Create " + article(res.Name), Tag: res.Path, Body: t, Resp: t, Status: 201, ETag: true},
		{route: route{Method: "GET", Pattern: one, Perm: tandem.PermRead, Handle: res.handleView},
			ID: "get" + title, Summary: "Get one " + res.Name, Tag: res.Path, Resp: t, Status: 200, ETag: true},
		{route: route{Method: "PATCH", Pattern: one, Perm: res.Edit, Handle: res.handleUpdate},
			ID: "update" + title, Summary: "Change " + article(res.Name) + " (JSON merge patch)", Tag: res.Path, Body: u, Resp: t, Status: 200, ETag: true, IfMatch: true},
		{route: route{Method: "DELETE", Pattern: one, Perm: deletePerm, Handle: res.handleDelete},
			ID: "delete" + title, Summary: "Delete " + article(res.Name), Tag: res.Path, Status: 204, IfMatch: true},
	}
}

// readOnly names the fields clients see but cannot set.
func (res resource[T, U, F]) readOnly() map[string]bool {
	ro := map[string]bool{}
	for _, n := range metaFields {
		ro[n] = true
	}
	for _, n := range res.ReadOnly {
		ro[n] = true
	}
	return ro
}

// fixed names the entity's fields that a patch cannot change: those with
// no field in U (Meta, derived fields, a dependency's ends).
func (res resource[T, U, F]) fixed() map[string]bool {
	fx := map[string]bool{}
	for _, f := range jsonFields(reflect.TypeFor[T]()) {
		if _, ok := fieldByName(reflect.TypeFor[U](), f.Name); !ok {
			fx[f.Name] = true
		}
	}
	return fx
}

func (res resource[T, U, F]) location(rq *request, id string) string {
	return "/api/v1/workspaces/" + rq.Workspace.ID + "/" + res.Path + "/" + id
}

func (res resource[T, U, F]) handleList(w http.ResponseWriter, r *http.Request, rq *request) error {
	var f F
	if err := decodeQuery(r.URL.Query(), &f); err != nil {
		return err
	}
	xs, next, err := res.List(res.s.Store, r.Context(), rq.Workspace.ID, f)
	if err != nil {
		return err
	}
	writeList(w, xs, next)
	return nil
}

func (res resource[T, U, F]) handleCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	x := new(T)
	if err := decodeFields(obj, x, res.readOnly()); err != nil {
		return err
	}
	if res.Prepare != nil {
		res.Prepare(rq, x)
	}
	if err := res.Create(res.s.Store, r.Context(), rq.Workspace.ID, x); err != nil {
		return err
	}
	m := metaOf(x)
	w.Header().Set("Location", res.location(rq, m.ID))
	w.Header().Set("ETag", etag(m.Version))
	writeJSON(w, http.StatusCreated, x)
	return nil
}

func (res resource[T, U, F]) handleView(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", res.Name)
	if err != nil {
		return err
	}
	x, err := res.Find(res.s.Store, r.Context(), rq.Workspace.ID, id)
	if err != nil {
		return err
	}
	v := metaOf(x).Version
	w.Header().Set("ETag", etag(v))
	if notModified(r, v) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	writeJSON(w, http.StatusOK, x)
	return nil
}

func (res resource[T, U, F]) handleUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", res.Name)
	if err != nil {
		return err
	}
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	nested := false
	for _, raw := range obj {
		nested = nested || isObject(raw)
	}
	if nested || res.MayModify != nil {
		cur, err := res.Find(res.s.Store, r.Context(), rq.Workspace.ID, id)
		if err != nil {
			return err
		}
		if res.MayModify != nil {
			if err := res.MayModify(rq, cur); err != nil {
				return err
			}
		}
		if nested {
			// Objects merge into the stored ones (RFC 7396); the version
			// check below still guards against a change in between.
			if err := mergeNested(obj, cur); err != nil {
				return err
			}
		}
	}
	var upd U
	if err := decodeFieldsReadOnly(obj, &upd, nil, res.fixed()); err != nil {
		return err
	}
	x, err := res.Update(res.s.Store, r.Context(), rq.Workspace.ID, id, upd, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(metaOf(x).Version))
	writeJSON(w, http.StatusOK, x)
	return nil
}

func (res resource[T, U, F]) handleDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", res.Name)
	if err != nil {
		return err
	}
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	if version != 0 || res.MayModify != nil {
		cur, err := res.Find(res.s.Store, r.Context(), rq.Workspace.ID, id)
		if err != nil {
			return err
		}
		if version != 0 && metaOf(cur).Version != version {
			return tandem.Errorf(tandem.EStale, "This %s was changed since you read it (version %d, yours %d).", res.Name, metaOf(cur).Version, version)
		}
		if res.MayModify != nil {
			if err := res.MayModify(rq, cur); err != nil {
				return err
			}
		}
	}
	if err := res.Delete(res.s.Store, r.Context(), rq.Workspace.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// camel turns "key result" into "KeyResult", for operation IDs.
func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// article puts "a" or "an" before a noun.
func article(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
