/* values.c - native types, runtime declarations, TrValue boxing/unboxing.
 *
 * A TrValue is { i64 tag, i64 payload } (runtime/taskrt.h) with the payload
 * as raw bits: a double is bitcast, a pointer converted with ptrtoint.
 * Unboxing checks the tag where the static type is precise; a value of the
 * wrong kind fails the task ("expected float, got str"). As in Python, an
 * int (or bool) is accepted where a float is expected, and a bool where an
 * int is. */
#include <string.h>

#include "../../runtime/taskrt.h"
#include "cg.h"

LLVMTypeRef cg_native_type(Cg *cg, Type *t) {
  switch (t->kind) {
  case TY_INT: return cg->t_i64;
  case TY_FLOAT: return cg->t_f64;
  case TY_BOOL:
  case TY_NONE: return cg->t_i1;
  default: return cg->t_ptr; /* str, list, tuple, dict, any */
  }
}

LLVMValueRef cg_runtime_fn(Cg *cg, const char *name, LLVMTypeRef fnty) {
  LLVMValueRef f = LLVMGetNamedFunction(cg->mod, name);
  if (!f)
    f = LLVMAddFunction(cg->mod, name, fnty);
  return f;
}

LLVMValueRef cg_call(Cg *cg, const char *name, LLVMTypeRef fnty,
                     LLVMValueRef *args, unsigned n) {
  return LLVMBuildCall2(cg->b, fnty, cg_runtime_fn(cg, name, fnty), args, n,
                        "");
}

static LLVMValueRef i64c(Cg *cg, int64_t v) {
  return LLVMConstInt(cg->t_i64, (unsigned long long)v, 1);
}

static LLVMValueRef field(Cg *cg, LLVMValueRef ptr, unsigned i) {
  return LLVMBuildStructGEP2(cg->b, cg->t_value, ptr, i, "");
}

static int type_tag(Type *t) {
  switch (t->kind) {
  case TY_NONE: return TR_NONE;
  case TY_BOOL: return TR_BOOL;
  case TY_INT: return TR_INT;
  case TY_FLOAT: return TR_FLOAT;
  case TY_STR: return TR_STR;
  case TY_LIST: return TR_LIST;
  case TY_TUPLE: return TR_TUPLE;
  case TY_DICT: return TR_DICT;
  default: return -1;
  }
}

/* A private constant array of C strings: the names of the tags, for the
 * message of a failed unbox. */
static LLVMValueRef tag_names(Cg *cg) {
  LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, "tr.tag.names");
  if (g)
    return g;
  static const char *const names[] = {"NoneType", "bool", "int", "float",
                                "str", "list", "tuple", "dict", "?"};
  enum { N = sizeof names / sizeof *names };
  LLVMValueRef elems[N];
  for (int i = 0; i < N; i++) {
    LLVMValueRef s = LLVMConstStringInContext(cg->ctx, names[i],
                                              (unsigned)strlen(names[i]), 0);
    LLVMValueRef sg = LLVMAddGlobal(cg->mod, LLVMTypeOf(s), "tr.tag.name");
    LLVMSetInitializer(sg, s);
    LLVMSetGlobalConstant(sg, 1);
    LLVMSetLinkage(sg, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(sg, LLVMGlobalUnnamedAddr);
    elems[i] = sg;
  }
  LLVMTypeRef at = LLVMArrayType2(cg->t_ptr, N);
  g = LLVMAddGlobal(cg->mod, at, "tr.tag.names");
  LLVMSetInitializer(g, LLVMConstArray2(cg->t_ptr, elems, N));
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  return g;
}

/* The failure block of fn's tag checks: tr_fail("expected T, got %s",
 * name of tag), with the message and the tag arriving through phis. One
 * block per function, shared by all its checks: a task with thousands of
 * parameters would otherwise get thousands of failure blocks, which LLVM's
 * passes take quadratic time over. */
static void badtag_block(Cg *cg, LLVMValueRef fn) {
  LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
  LLVMBasicBlockRef bad = LLVMAppendBasicBlockInContext(cg->ctx, fn, "badtag");
  LLVMPositionBuilderAtEnd(cg->b, bad);
  cg->badtag_msg = LLVMBuildPhi(cg->b, cg->t_ptr, "want");
  cg->badtag_tag = LLVMBuildPhi(cg->b, cg->t_i64, "tag");
  LLVMValueRef tag = cg->badtag_tag;
  LLVMValueRef in_range = LLVMBuildICmp(cg->b, LLVMIntULE, tag, i64c(cg, 7),
                                        "");
  LLVMValueRef ix = LLVMBuildSelect(cg->b, in_range, tag, i64c(cg, 8), "");
  LLVMValueRef names = tag_names(cg);
  LLVMValueRef idx[] = {i64c(cg, 0), ix};
  LLVMValueRef slot = LLVMBuildInBoundsGEP2(
      cg->b, LLVMGlobalGetValueType(names), names, idx, 2, "");
  LLVMValueRef got = LLVMBuildLoad2(cg->b, cg->t_ptr, slot, "");
  LLVMValueRef args[] = {cg->badtag_msg, got};
  LLVMTypeRef fty = LLVMFunctionType(cg->t_void, &cg->t_ptr, 1, 1);
  cg_call(cg, "tr_fail", fty, args, 2);
  LLVMBuildUnreachable(cg->b);
  LLVMPositionBuilderAtEnd(cg->b, here);
  cg->badtag_fn = fn;
  cg->badtag_bb = bad;
}

/* The failure message of a value at dict key `key` that is not a T: the
 * key quoted as Python would (cut after 40 bytes), '%' doubled for
 * tr_fail's format. */
static const char *key_message(const char *want, const char *key,
                               char *buf, size_t size) {
  char k[200], *p = k;
  for (int i = 0; key[i] && i < 40; i++) {
    unsigned char c = (unsigned char)key[i];
    if (c == '%')
      p += sprintf(p, "%%%%");
    else if (c == '\'' || c == '\\')
      p += sprintf(p, "\\%c", c);
    else if (c < 32 || c == 127)
      p += sprintf(p, "\\x%02x", c);
    else
      *p++ = (char)c;
  }
  strcpy(p, strlen(key) > 40 ? "..." : "");
  snprintf(buf, size, "the value of key '%s' is %%s, not %s (the type "
           "taskc inferred for it from the program)", k, want);
  return buf;
}

/* if (!ok) go to the function's failure block with "expected T, got %s"
 * (or the message of a dict key's value, key_message) */
static void check_tag(Cg *cg, Type *t, LLVMValueRef ok, LLVMValueRef tag,
                      const char *key) {
  LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
  LLVMValueRef fn = LLVMGetBasicBlockParent(here);
  if (cg->badtag_fn != fn)
    badtag_block(cg, fn);
  const char *want = t->kind == TY_LIST ? "list" : t->kind == TY_TUPLE
                         ? "tuple" : t->kind == TY_DICT ? "dict"
                         : t->kind == TY_NONE ? "None" : ty_name(t);
  char text[400];
  if (key)
    key_message(want, key, text, sizeof text);
  else
    snprintf(text, sizeof text, "expected %s, got %%s", want);
  LLVMValueRef msg = LLVMBuildGlobalStringPtr(cg->b, text, "");
  LLVMBasicBlockRef good = LLVMAppendBasicBlockInContext(cg->ctx, fn, "tagok");
  LLVMBuildCondBr(cg->b, ok, good, cg->badtag_bb);
  LLVMAddIncoming(cg->badtag_msg, &msg, &here, 1);
  LLVMAddIncoming(cg->badtag_tag, &tag, &here, 1);
  LLVMPositionBuilderAtEnd(cg->b, good);
}

static LLVMValueRef is_tag(Cg *cg, LLVMValueRef tag, int want) {
  return LLVMBuildICmp(cg->b, LLVMIntEQ, tag, i64c(cg, want), "");
}

static LLVMValueRef unbox(Cg *cg, Type *t, LLVMValueRef ptr, const char *key) {
  if (t->kind == TY_ANY)
    return ptr;
  LLVMValueRef tag = LLVMBuildLoad2(cg->b, cg->t_i64, field(cg, ptr, 0),
                                    "tag");
  LLVMValueRef bits = LLVMBuildLoad2(cg->b, cg->t_i64, field(cg, ptr, 1),
                                     "bits");
  LLVMValueRef ok = is_tag(cg, tag, type_tag(t));
  if (t->kind == TY_INT || t->kind == TY_FLOAT)
    ok = LLVMBuildOr(cg->b, ok, is_tag(cg, tag, TR_BOOL), "");
  if (t->kind == TY_FLOAT)
    ok = LLVMBuildOr(cg->b, ok, is_tag(cg, tag, TR_INT), "");
  check_tag(cg, t, ok, tag, key);
  switch (t->kind) {
  case TY_INT:
    return bits;
  case TY_FLOAT: {
    LLVMValueRef f = LLVMBuildBitCast(cg->b, bits, cg->t_f64, "");
    LLVMValueRef i = LLVMBuildSIToFP(cg->b, bits, cg->t_f64, "");
    return LLVMBuildSelect(cg->b, is_tag(cg, tag, TR_FLOAT), f, i, "");
  }
  case TY_BOOL:
    return LLVMBuildICmp(cg->b, LLVMIntNE, bits, i64c(cg, 0), "");
  case TY_NONE:
    return LLVMConstInt(cg->t_i1, 0, 0);
  default:
    return LLVMBuildIntToPtr(cg->b, bits, cg->t_ptr, "");
  }
}

LLVMValueRef cg_unbox(Cg *cg, Type *t, LLVMValueRef ptr) {
  return unbox(cg, t, ptr, NULL);
}

LLVMValueRef cg_unbox_key(Cg *cg, Type *t, LLVMValueRef ptr,
                          const char *key) {
  return unbox(cg, t, ptr, key);
}

void cg_box(Cg *cg, Type *t, LLVMValueRef v, LLVMValueRef ptr) {
  if (t->kind == TY_ANY) {
    LLVMValueRef x = LLVMBuildLoad2(cg->b, cg->t_value, v, "");
    LLVMBuildStore(cg->b, x, ptr);
    return;
  }
  LLVMValueRef bits;
  switch (t->kind) {
  case TY_INT: bits = v; break;
  case TY_FLOAT: bits = LLVMBuildBitCast(cg->b, v, cg->t_i64, ""); break;
  case TY_BOOL: bits = LLVMBuildZExt(cg->b, v, cg->t_i64, ""); break;
  case TY_NONE: bits = i64c(cg, 0); break;
  default: bits = LLVMBuildPtrToInt(cg->b, v, cg->t_i64, ""); break;
  }
  LLVMBuildStore(cg->b, i64c(cg, type_tag(t)), field(cg, ptr, 0));
  LLVMBuildStore(cg->b, bits, field(cg, ptr, 1));
}
