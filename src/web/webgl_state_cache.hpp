// Force-included (-include) into Dear ImGui's imgui_impl_opengl3.cpp only, in the web build.
//
// Why: ImGui_ImplOpenGL3_RenderDrawData() backs up GL state every frame with
// glGetIntegerv(). In Chromium most WebGL getParameter() queries are answered from
// a client-side cache, but GL_BLEND_{SRC,DST}_{RGB,ALPHA}, GL_BLEND_EQUATION_* and
// GL_SCISSOR_BOX are synchronous round-trips to the GPU process, i.e. each waits
// for all queued GPU work. Measured with SwiftShader: ~25 ms of the ~25 ms frame.
// Here those few values are shadowed on the C++ side instead (the backend's own
// setter calls are redirected so the shadow stays exact). Anything else falls
// through to the real glGetIntegerv. Assumes nobody else changes blend/scissor
// state behind the backend's back (true for an ImGui-only app).
#pragma once
#include <GLES3/gl3.h>

namespace webgl_state_cache {
struct State {
  GLint blendSrcRgb = GL_ONE, blendDstRgb = GL_ZERO, blendSrcA = GL_ONE, blendDstA = GL_ZERO;
  GLint blendEqRgb = GL_FUNC_ADD, blendEqA = GL_FUNC_ADD;
  GLint scissor[4] = {0, 0, 0, 0};
  bool scissorKnown = false;
};
inline State& state() { static State s; return s; }

inline void GetIntegerv(GLenum pname, GLint* v) {
  State& s = state();
  switch (pname) {
    case GL_BLEND_SRC_RGB: *v = s.blendSrcRgb; return;
    case GL_BLEND_DST_RGB: *v = s.blendDstRgb; return;
    case GL_BLEND_SRC_ALPHA: *v = s.blendSrcA; return;
    case GL_BLEND_DST_ALPHA: *v = s.blendDstA; return;
    case GL_BLEND_EQUATION_RGB: *v = s.blendEqRgb; return;
    case GL_BLEND_EQUATION_ALPHA: *v = s.blendEqA; return;
    case GL_SCISSOR_BOX:
      if (!s.scissorKnown) {  // one real (sync) query, then shadowed
        glGetIntegerv(GL_SCISSOR_BOX, s.scissor);
        s.scissorKnown = true;
      }
      for (int i = 0; i < 4; ++i) v[i] = s.scissor[i];
      return;
    default: glGetIntegerv(pname, v); return;
  }
}
inline void BlendEquation(GLenum m) { state().blendEqRgb = state().blendEqA = (GLint)m; glBlendEquation(m); }
inline void BlendEquationSeparate(GLenum rgb, GLenum a) {
  state().blendEqRgb = (GLint)rgb; state().blendEqA = (GLint)a; glBlendEquationSeparate(rgb, a);
}
inline void BlendFunc(GLenum src, GLenum dst) {
  State& s = state();
  s.blendSrcRgb = s.blendSrcA = (GLint)src; s.blendDstRgb = s.blendDstA = (GLint)dst;
  glBlendFunc(src, dst);
}
inline void BlendFuncSeparate(GLenum sr, GLenum dr, GLenum sa, GLenum da) {
  State& s = state();
  s.blendSrcRgb = (GLint)sr; s.blendDstRgb = (GLint)dr; s.blendSrcA = (GLint)sa; s.blendDstA = (GLint)da;
  glBlendFuncSeparate(sr, dr, sa, da);
}
inline void Scissor(GLint x, GLint y, GLsizei w, GLsizei h) {
  State& s = state();
  s.scissor[0] = x; s.scissor[1] = y; s.scissor[2] = w; s.scissor[3] = h; s.scissorKnown = true;
  glScissor(x, y, w, h);
}
}  // namespace webgl_state_cache

#define glGetIntegerv webgl_state_cache::GetIntegerv
#define glBlendEquation webgl_state_cache::BlendEquation
#define glBlendEquationSeparate webgl_state_cache::BlendEquationSeparate
#define glBlendFunc webgl_state_cache::BlendFunc
#define glBlendFuncSeparate webgl_state_cache::BlendFuncSeparate
#define glScissor webgl_state_cache::Scissor
